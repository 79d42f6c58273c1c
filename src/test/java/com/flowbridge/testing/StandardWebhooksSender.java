package com.flowbridge.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Standard Webhooks sender, signing with an implementation independent of flow-bridge's: Python's standard library
 * ({@code src/test/resources/standard-webhooks/sign.py}, run as one {@code python3} process for all the requests a test
 * signs). A mistake shared by signer and verifier cannot pass this way.
 */
public final class StandardWebhooksSender implements AutoCloseable {

    private static final Path SCRIPT = Path.of("src", "test", "resources", "standard-webhooks", "sign.py");

    private final Process python;
    private final Writer requests;
    private final BufferedReader signatures;

    public StandardWebhooksSender() {
        try {
            python = new ProcessBuilder("python3", SCRIPT.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("python3 is needed to sign as an independent Standard Webhooks sender", e);
        }
        requests = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.UTF_8);
        signatures = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
    }

    /** {@code v1,<base64>}: the signature of {@code body} as {@code id} at {@code timestamp} (Unix seconds). */
    public synchronized String signature(String secret, String id, long timestamp, byte[] body) {
        try {
            requests.write(secret + "\t" + id + "\t" + timestamp + "\t" + Base64.getEncoder().encodeToString(body) + "\n");
            requests.flush();
            String signature = signatures.readLine();
            if (signature == null || !signature.startsWith("v1,")) {
                throw new IllegalStateException("The Python signer answered " + signature);
            }
            return signature;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The three headers of a delivery, with Content-Type: application/json. */
    public Map<String, String> headers(String secret, String id, long timestamp, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", String.valueOf(timestamp));
        headers.put("webhook-signature", signature(secret, id, timestamp, body));
        return headers;
    }

    public Map<String, String> headers(String secret, String id, byte[] body) {
        return headers(secret, id, now(), body);
    }

    public static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** A {@code whsec_} secret made from a (fake, readable) phrase. */
    public static String secret(String phrase) {
        return "whsec_" + Base64.getEncoder().encodeToString(phrase.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            requests.close();
        } catch (IOException ignored) {
            // the process is ending
        }
        if (!python.waitFor(5, TimeUnit.SECONDS)) {
            python.destroyForcibly();
        }
    }
}
