package com.flowbridge.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header(WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature(SECRET, bytes))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        try {
            return HttpContract.send(http, request).statusCode();
        } catch (IOException unreachable) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Posts until the command is accepted (202), sending the same body (so the same commandId) again after each 503
     * or connection failure, as a CRM honouring the webhook's Retry-After would. Returns how many attempts it took.
     */
    public int postUntilAccepted(String path, String body, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            int status = post(path, body);
            if (status == 202) {
                return attempt;
            }
            if (status != 503 && status != -1) {
                throw new AssertionError("The webhook answered " + status + " to " + body);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The webhook did not accept " + body + " within " + timeout);
            }
            Thread.sleep(1000);
        }
    }
}
