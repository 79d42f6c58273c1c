package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the sandbox answers to one call: status, headers and a body that writes itself, so that a
 * million-row CSV goes out row by row (chunked) instead of being built in memory first.
 */
final class Answer {

    /** Writes a response body to the client. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    static final String JSON = "application/json; charset=utf-8";
    static final String CSV = "text/csv; charset=utf-8";
    /** The status recorded for a call whose connection was closed without any answer. */
    static final int NO_ANSWER = 0;

    // Length as HttpExchange.sendResponseHeaders takes it: -1 no body, 0 chunked, else the exact byte count.
    private static final long NO_BODY = -1;
    private static final long CHUNKED = 0;

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final long length;
    private final Body body;

    private Answer(int status, long length, Body body) {
        this.status = status;
        this.length = length;
        this.body = body;
    }

    static Answer json(int status, JsonNode node) {
        return bytes(status, JSON, Json.bytes(node));
    }

    static Answer message(int status, String message) {
        return json(status, Json.object().put("message", message));
    }

    static Answer bytes(int status, String contentType, byte[] bytes) {
        Answer answer = new Answer(status, bytes.length == 0 ? NO_BODY : bytes.length, out -> out.write(bytes));
        return bytes.length == 0 ? answer : answer.header("Content-Type", contentType);
    }

    /** A 200 whose body is written while it is sent, with chunked transfer encoding. */
    static Answer stream(String contentType, Body body) {
        return new Answer(200, CHUNKED, body).header("Content-Type", contentType);
    }

    static Answer redirect(String location) {
        return new Answer(302, NO_BODY, null).header("Location", location);
    }

    /** Closing the exchange before any response headers makes the JDK server close the socket. */
    static Answer dropConnection() {
        return new Answer(NO_ANSWER, NO_BODY, null);
    }

    Answer header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    int status() {
        return status;
    }

    /** Sends the answer; the caller closes the exchange. */
    void send(HttpExchange exchange) throws IOException {
        if (status == NO_ANSWER) {
            return;
        }
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, length);
        if (length != NO_BODY) {
            try (OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), 64 * 1024)) {
                body.writeTo(out);
            }
        }
    }
}
