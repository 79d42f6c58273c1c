package com.flowbridge.flow;

/** A failure worth another attempt: 429, 5xx, a timeout or a connection that could not be made. */
public class FlowRetryableException extends FlowCallException {

    public FlowRetryableException(String endpoint, int status, String flowMessage, String responseBody, int attempts, Throwable cause) {
        super(endpoint, status, flowMessage, responseBody, attempts, cause);
    }
}
