package com.flowbridge.webhook;

import java.util.List;

import com.flowbridge.command.FieldError;

/** A webhook request refused with a 4xx status and the reasons, one per field where a field is to blame. */
public final class WebhookRefusal extends RuntimeException {

    private final int status;
    private final List<FieldError> errors;

    private WebhookRefusal(int status, List<FieldError> errors) {
        super("HTTP " + status + ": " + FieldError.describe(errors), null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static WebhookRefusal badRequest(List<FieldError> errors) {
        return new WebhookRefusal(400, errors);
    }

    static WebhookRefusal unauthorized() {
        return new WebhookRefusal(401, List.of(new FieldError(WebhookAuth.SIGNATURE_HEADER,
            "a valid signature (sha256=<hex HMAC-SHA256 of the body>) or Authorization: Bearer <token> is required")));
    }

    static WebhookRefusal unsupportedMediaType(String contentType) {
        return new WebhookRefusal(415, List.of(new FieldError("Content-Type",
            "must be application/json (UTF-8), not " + (contentType == null ? "missing" : contentType))));
    }

    public int status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
