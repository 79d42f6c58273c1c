package com.flowbridge.flow;

/**
 * FLOW answered with an error, or could not be reached. Carries what a caller needs to decide and to
 * tell its user: the HTTP status (0 when there was no answer), FLOW's own message and the attempts made.
 */
public class FlowCallException extends RuntimeException {

    private final String endpoint;
    private final int status;
    private final String flowMessage;
    private final String responseBody;
    private final int attempts;

    public FlowCallException(String endpoint, int status, String flowMessage, String responseBody, int attempts, Throwable cause) {
        super(describe(endpoint, status, flowMessage), cause);
        this.endpoint = endpoint;
        this.status = status;
        this.flowMessage = flowMessage;
        this.responseBody = responseBody;
        this.attempts = attempts;
    }

    private static String describe(String endpoint, int status, String flowMessage) {
        String answer = status == 0 ? "no answer" : "HTTP " + status;
        return "FLOW " + endpoint + " call failed: " + answer + (flowMessage == null ? "" : " (" + flowMessage + ")");
    }

    /** Which FLOW call failed, by its configuration name (sessions, registration, ...). */
    public String endpoint() {
        return endpoint;
    }

    /** The HTTP status FLOW answered, or 0 for a connection failure or timeout. */
    public int status() {
        return status;
    }

    /** FLOW's own explanation (the {@code message} of its JSON error body), or ours when FLOW gave none. */
    public String flowMessage() {
        return flowMessage;
    }

    /** The body FLOW answered with, possibly cut short; null without an answer. */
    public String responseBody() {
        return responseBody;
    }

    public int attempts() {
        return attempts;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
