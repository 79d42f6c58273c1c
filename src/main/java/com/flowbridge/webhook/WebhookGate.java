package com.flowbridge.webhook;

import java.security.MessageDigest;

import com.flowbridge.command.FieldError;
import com.flowbridge.observe.Metrics;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * What every request on the webhook port passes before anything reads its body: a credential some scheme accepts
 * (401), the rate of its key (429), and, for a Standard Webhooks request, its {@code webhook-id} against the deliveries
 * accepted lately (a retry or replay of one is answered as accepted without being carried out again; the same
 * webhook-id with another body is 409). Counts the requests each key let in ({@code flowbridge_webhook_accepted_total}).
 */
public final class WebhookGate {

    /** Exchange property: the verified {@code webhook-id} of a Standard Webhooks request. */
    private static final String DIGEST = "webhookDeliveryDigest";
    public static final String WEBHOOK_ID = "webhookId";
    /** Exchange property the webhook routes set: the commandId a command was answered with. */
    static final String COMMAND_ID = "commandId";

    private final WebhookAuth auth;
    private final CredentialRateLimits rates;
    private final WebhookReplays replays;
    private final Metrics metrics;

    /** @param ratePerSecond requests per second per key ({@code webhook.rate-limit}); 0 for no limit */
    public WebhookGate(WebhookAuth auth, int ratePerSecond, Metrics metrics) {
        this.auth = auth;
        this.rates = new CredentialRateLimits(ratePerSecond);
        this.replays = new WebhookReplays(auth.tolerance());
        this.metrics = metrics;
    }

    /**
     * Lets the request in, or throws.
     *
     * @throws WebhookRefusal 401 (no accepted credential), 409 (webhook-id reused for another request), 429 (the key's
     *                        rate)
     * @throws WebhookReplay  a Standard Webhooks delivery accepted before
     */
    public Credential admit(Exchange exchange) {
        Message request = exchange.getMessage();
        byte[] body = request.getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        request.setBody(body);
        Credential credential;
        try {
            credential = auth.authenticate(body, name -> request.getHeader(name, String.class));
        } catch (WebhookRefusal refused) {
            metrics.webhookRefused(refused.errors().stream().anyMatch(e -> StandardWebhooksScheme.TIMESTAMP.equals(e.field()))
                ? "timestamp" : "unauthenticated");
            throw refused;
        }
        metrics.webhookAccepted(credential.scheme(), credential.keyId());
        long retryAfter = rates.retryAfterSeconds(credential.keyId());
        if (retryAfter > 0) {
            metrics.webhookRefused("rate-limit");
            throw WebhookRefusal.tooManyRequests("key " + credential.keyId() + " may send at most " + rates.perSecond()
                + " requests a second; send this one again after " + retryAfter + " s", retryAfter);
        }
        if (credential.webhookId() != null) {
            checkDelivery(exchange, credential.webhookId(), body);
        }
        return credential;
    }

    private void checkDelivery(Exchange exchange, String webhookId, byte[] body) {
        Message request = exchange.getMessage();
        String path = request.getHeader(Exchange.HTTP_PATH, request.getHeader(Exchange.HTTP_URI, String.class), String.class);
        byte[] digest = WebhookReplays.digest(path, body);
        WebhookReplays.Delivery earlier = replays.accepted(webhookId);
        if (earlier != null && MessageDigest.isEqual(earlier.digest(), digest)) {
            metrics.webhookReplayed();
            throw new WebhookReplay(webhookId, earlier.commandId());
        }
        if (earlier != null) {
            metrics.webhookRefused("webhook-id-reused");
            throw WebhookRefusal.conflict(new FieldError(StandardWebhooksScheme.ID, "was used for another request (another "
                + "body or path) within the last " + auth.tolerance().multipliedBy(2).toSeconds() + " s: one webhook-id names one message"));
        }
        exchange.setProperty(WEBHOOK_ID, webhookId);
        exchange.setProperty(DIGEST, digest);
    }

    /**
     * The request is done (its command is on Kafka), before it is answered: a delivery of its webhook-id from now on is a
     * replay. Only then: one that failed (503) must be carried out when its sender sends it again. And not after the
     * answer: a sender retrying at once must find it remembered.
     */
    public void delivered(Exchange exchange) {
        String webhookId = exchange.getProperty(WEBHOOK_ID, String.class);
        byte[] digest = exchange.getProperty(DIGEST, byte[].class);
        if (webhookId != null && digest != null) {
            replays.remember(webhookId, digest, exchange.getProperty(COMMAND_ID, String.class));
        }
    }
}
