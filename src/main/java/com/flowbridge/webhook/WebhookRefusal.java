package com.flowbridge.webhook;

import java.util.List;

import com.flowbridge.command.FieldError;

/**
 * A webhook request refused with a 4xx status and the reasons, one per field (or header) where one is to blame;
 * a 429 also says, in seconds, when to send again ({@code Retry-After}).
 */
public final class WebhookRefusal extends RuntimeException {

    private final int status;
    private final List<FieldError> errors;
    private final Long retryAfterSeconds;

    private WebhookRefusal(int status, List<FieldError> errors, Long retryAfterSeconds) {
        super("HTTP " + status + ": " + FieldError.describe(errors), null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static WebhookRefusal badRequest(List<FieldError> errors) {
        return new WebhookRefusal(400, errors, null);
    }

    static WebhookRefusal unauthorized(List<FieldError> errors) {
        return new WebhookRefusal(401, errors, null);
    }

    /** A {@code webhook-id} already used, within the replay memory, for a request with another body or path. */
    static WebhookRefusal conflict(FieldError error) {
        return new WebhookRefusal(409, List.of(error), null);
    }

    static WebhookRefusal unsupportedMediaType(String contentType) {
        return new WebhookRefusal(415, List.of(new FieldError("Content-Type",
            "must be application/json (UTF-8), not " + (contentType == null ? "missing" : contentType))), null);
    }

    static WebhookRefusal tooManyRequests(String message, long retryAfterSeconds) {
        return new WebhookRefusal(429, List.of(new FieldError(null, message)), retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Seconds to wait before sending again (429), or null. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
