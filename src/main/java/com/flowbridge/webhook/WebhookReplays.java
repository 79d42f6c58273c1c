package com.flowbridge.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The Standard Webhooks deliveries this instance accepted lately, by {@code webhook-id}: what they were (a digest of
 * path and body) and the commandId they were answered with. Each is remembered for twice the timestamp tolerance (its
 * timestamp is refused after at most that long), the most recent {@value #MOST} of them. Other instances, and a
 * webhook-id forgotten here, are covered by the command ledger: the webhook-id is the commandId, carried out once.
 */
final class WebhookReplays {

    static final int MOST = 100_000;

    /** What a delivery was, and what it was answered. */
    record Delivery(byte[] digest, String commandId) {
    }

    private final Cache<String, Delivery> accepted;

    WebhookReplays(Duration tolerance) {
        this.accepted = Caffeine.newBuilder().maximumSize(MOST).expireAfterWrite(tolerance.multipliedBy(2)).build();
    }

    /** The delivery accepted before under this webhook-id, or null. */
    Delivery accepted(String webhookId) {
        return accepted.getIfPresent(webhookId);
    }

    void remember(String webhookId, byte[] digest, String commandId) {
        accepted.put(webhookId, new Delivery(digest, commandId));
    }

    /** What identifies a delivery's content: the SHA-256 of its path and body (its timestamp may differ on a retry). */
    static byte[] digest(String path, byte[] body) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update((path == null ? "" : path).getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            return sha256.digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
