package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Duration;

/** Plain java.net.http calls against a running sandbox, as the product and a separate test process make them. */
final class SandboxHttp {

    static final String SECRET = "test-secret";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String origin;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    SandboxHttp(String baseUrl) {
        this.origin = baseUrl.substring(0, baseUrl.length() - "/api/v1".length());
    }

    /** GET on the FLOW API with the right api-secret. */
    HttpResponse<String> flowGet(String path) {
        return send(flow("GET", path, null), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> flowGetBytes(String path) {
        return send(flow("GET", path, null), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<InputStream> flowGetStream(String path) {
        return send(flow("GET", path, null), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** POST of a JSON body on the FLOW API with the right api-secret. */
    HttpResponse<String> flowPost(String path, String json) {
        return send(flow("POST", path, json), HttpResponse.BodyHandlers.ofString());
    }

    /** A FLOW API request to finish by the caller: add headers, then {@link #send}. */
    HttpRequest.Builder flow(String method, String path, String json) {
        return request(method, "/api/v1" + path, json).header("api-secret", SECRET);
    }

    HttpResponse<String> control(String method, String path, String json) {
        return send(request(method, "/sandbox" + path, json), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String pathFromOrigin) {
        return send(request("GET", pathFromOrigin, null), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String method, String pathFromOrigin, String json) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(origin + pathFromOrigin)).timeout(Duration.ofSeconds(30));
        if (json == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    }

    <T> HttpResponse<T> send(HttpRequest.Builder request, BodyHandler<T> handler) {
        try {
            return sendOrFail(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #send}, but lets the IOException of a dropped connection through. */
    <T> HttpResponse<T> sendOrFail(HttpRequest.Builder request, BodyHandler<T> handler) throws IOException {
        try {
            return client.send(request.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON: " + response.body(), e);
        }
    }
}
