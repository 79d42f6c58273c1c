package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP request as the handlers see it: method, path below the server context (e.g.
 * {@code /events/sessions} for {@code /api/v1/events/sessions}), decoded query, headers and the whole body.
 * Bodies are small here (JSON, a CSV put by a test), so reading them whole is fine.
 */
record Call(String method, String path, String rawQuery, Map<String, String> query, Headers headers, byte[] body) {

    static Call read(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String context = exchange.getHttpContext().getPath();
        String path = context.equals("/") ? uri.getPath() : uri.getPath().substring(context.length());
        return new Call(exchange.getRequestMethod(), path.isEmpty() ? "/" : path, uri.getRawQuery(),
                parseQuery(uri.getRawQuery()), exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes());
    }

    String header(String name) {
        return headers.getFirst(name);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    ObjectNode jsonBody() {
        return Json.parseObject(body);
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            query.putIfAbsent(decode(name), decode(value));
        }
        return query;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
