package com.flowbridge.sandbox;

/**
 * A request the sandbox refuses, with the HTTP status and the {@code message} FLOW would answer.
 * Thrown by {@link SandboxState} and by the handlers; the routes turn it into {@code {"message": ...}}.
 */
public final class ApiError extends RuntimeException {

    private final int status;

    public ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    public int status() {
        return status;
    }
}
