package com.flowbridge.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code contracts/openapi.yaml} as a checker of real answers: the status must be documented for the request's path and
 * method, the documented required headers must be there, the body must have a documented media type and, for JSON,
 * validate against its schema. Tests send their requests through {@link #send} (or check an answer with {@link #check}),
 * so every answer a test sees is held to the document.
 */
public final class HttpContract {

    private static HttpContract loaded;

    /** How many answers were checked, per operation and status: printed when the test JVM ends. */
    private static final Map<String, java.util.concurrent.atomic.LongAdder> CHECKED = new java.util.concurrent.ConcurrentSkipListMap<>();

    private final JsonNode document;
    private final List<PathTemplate> paths;

    private record PathTemplate(String template, Pattern pattern) {
    }

    private HttpContract(JsonNode document, List<PathTemplate> paths) {
        this.document = document;
        this.paths = paths;
    }

    public static synchronized HttpContract get() {
        if (loaded == null) {
            JsonNode document = Contracts.document(Contracts.OPENAPI);
            List<PathTemplate> paths = new ArrayList<>();
            for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
                String regex = "\\Q" + path.getKey().replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
                paths.add(new PathTemplate(path.getKey(), Pattern.compile(regex)));
            }
            loaded = new HttpContract(document, List.copyOf(paths));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("[contracts] answers checked against "
                + "contracts/openapi.yaml in this test run, per operation and status: " + CHECKED), "contracts-summary-http"));
        }
        return loaded;
    }

    /** Sends the request, reads the answer as text and checks it against the document. */
    public static HttpResponse<String> send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
        return get().checked(client.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** The answer, once checked against the document (for the request it answers). */
    public HttpResponse<String> checked(HttpResponse<String> response) {
        check(response.request().method(), response.request().uri(), response.statusCode(),
            response.headers().firstValue("Content-Type"), name -> response.headers().firstValue(name).isPresent(), response.body());
        return response;
    }

    /** What decides whether a response header is there. */
    public interface HeaderPresence {
        boolean has(String name);
    }

    /** Fails unless the answer ({@code status}, {@code contentType}, {@code body}) is one the document gives for the request. */
    public void check(String method, URI uri, int status, Optional<String> contentType, HeaderPresence headers, String body) {
        String what = method + " " + uri.getPath() + " answered " + status;
        String template = paths.stream().filter(path -> path.pattern().matcher(uri.getPath()).matches()).map(PathTemplate::template)
            .findFirst().orElseThrow(() -> fail(what, "the path is not in contracts/openapi.yaml", body));
        String operationPointer = "/paths/" + Contracts.pointerToken(template) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode operation = document.at(operationPointer);
        if (operation.isMissingNode()) {
            throw fail(what, "contracts/openapi.yaml has no " + method + " for " + template, body);
        }
        String responsePointer = operationPointer + "/responses/" + status;
        JsonNode response = document.at(responsePointer);
        if (response.isMissingNode()) {
            List<String> documented = new ArrayList<>();
            operation.path("responses").propertyNames().forEach(documented::add);
            throw fail(what, "status " + status + " is not documented for " + method + " " + template + " (documented: "
                + documented + ")", body);
        }
        CHECKED.computeIfAbsent(method + " " + template + " " + status, key -> new java.util.concurrent.atomic.LongAdder()).increment();
        if (response.has("$ref")) {
            responsePointer = response.get("$ref").asString().substring(1);
            response = document.at(responsePointer);
        }
        for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
            if (Contracts.resolved(document, header.getValue()).path("required").asBoolean(false) && !headers.has(header.getKey())) {
                throw fail(what, "the documented header " + header.getKey() + " is missing", body);
            }
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                throw fail(what, "the document gives this answer no body, but it has " + body.length() + " characters", body);
            }
            return;
        }
        String mediaType = contentType.map(type -> type.split(";")[0].trim().toLowerCase(Locale.ROOT)).orElse("");
        if (!content.has(mediaType)) {
            List<String> documented = new ArrayList<>();
            content.propertyNames().forEach(documented::add);
            throw fail(what, "Content-Type " + contentType.orElse("(none)") + " is not documented (documented: " + documented + ")", body);
        }
        if (!mediaType.equals("application/json") || content.path(mediaType).path("schema").isMissingNode()) {
            return;
        }
        JsonNode instance;
        try {
            instance = Contracts.json(body);
        } catch (JacksonException notJson) {
            throw fail(what, "the body is not JSON: " + notJson.getOriginalMessage(), body);
        }
        List<String> violations = Contracts.violations(Contracts.schema(Contracts.OPENAPI,
            responsePointer + "/content/" + Contracts.pointerToken(mediaType) + "/schema"), instance);
        if (!violations.isEmpty()) {
            throw fail(what, "the body does not match its schema:\n  " + String.join("\n  ", violations), body);
        }
    }

    private static AssertionError fail(String what, String why, String body) {
        String shown = body == null ? "" : body.length() > 500 ? body.substring(0, 500) + "..." : body;
        return new AssertionError(what + ", which does not match contracts/openapi.yaml: " + why + "\n  body: " + shown);
    }
}
