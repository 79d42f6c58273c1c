package com.flowbridge.webhook;

/**
 * Who a webhook request comes from: the scheme and the key that accepted it ({@link KeyId}, never the key), and, for a
 * Standard Webhooks request, its verified {@code webhook-id} (null otherwise).
 */
public record Credential(String scheme, String keyId, String webhookId) {
}
