package com.flowbridge.webhook;

/**
 * A Standard Webhooks delivery whose {@code webhook-id} was accepted before, with the same body on the same path, within
 * the replay memory: a sender's retry (it did not get, or did not keep, the first answer) or a replay. It is answered as
 * accepted, with the first delivery's commandId, and nothing is carried out again.
 */
public final class WebhookReplay extends RuntimeException {

    private final String webhookId;
    private final String commandId;

    WebhookReplay(String webhookId, String commandId) {
        super("webhook-id " + webhookId + " was accepted before", null, false, false);
        this.webhookId = webhookId;
        this.commandId = commandId;
    }

    public String webhookId() {
        return webhookId;
    }

    /** The commandId the first delivery was answered with (null for requests that are not commands). */
    public String commandId() {
        return commandId;
    }
}
