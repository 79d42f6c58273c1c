package com.flowbridge.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.flowbridge.webhook.WebhookAuth;

/**
 * A CRM posting signed commands to flow-bridge's webhook, the careful way: it sends again until it gets its 202. Every
 * answer is checked against contracts/openapi.yaml ({@link HttpContract}).
 */
public final class WebhookClient {

    public static final String SECRET = "reliability-webhook-secret";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String origin;

    public WebhookClient(int port) {
        this.origin = "http://127.0.0.1:" + port;
    }

    /** One signed POST; the status, or -1 when flow-bridge could not be reached. */
    public int post(String path, String body) {
        return send(path, body).status();
    }

    /**
     * Posts until the command is accepted (202), sending the same body (so the same commandId) again after each 503,
     * 429 (after its Retry-After) or connection failure, as a CRM honouring the webhook's answers would. Returns how
     * many attempts it took.
     */
    public int postUntilAccepted(String path, String body, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            Answer answer = send(path, body);
            if (answer.status() == 202) {
                return attempt;
            }
            if (answer.status() != 503 && answer.status() != 429 && answer.status() != -1) {
                throw new AssertionError("The webhook answered " + answer.status() + " to " + body);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The webhook did not accept " + body + " within " + timeout);
            }
            Thread.sleep(answer.status() == 429 ? 1000L * answer.retryAfterSeconds() : 1000);
        }
    }

    private record Answer(int status, long retryAfterSeconds) {
    }

    private Answer send(String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header(WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature(SECRET, bytes))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        try {
            HttpResponse<String> response = HttpContract.send(http, request);
            return new Answer(response.statusCode(),
                response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L));
        } catch (IOException unreachable) {
            return new Answer(-1, 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
