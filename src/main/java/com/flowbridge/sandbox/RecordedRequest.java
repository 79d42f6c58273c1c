package com.flowbridge.sandbox;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One FLOW API request as the sandbox received it, for tests to check what the product sent. The
 * api-secret header itself is never kept: only whether it was there and whether it was right.
 *
 * @param path    the path under {@code /api/v1}
 * @param query   the raw query string, or null
 * @param headers request headers by lower-case name (several values joined by ", "), without api-secret
 * @param status  the status answered, {@value Answer#NO_ANSWER} when the connection was dropped
 * @param time    when the answer was decided (ISO-8601)
 */
public record RecordedRequest(String method, String path, String query, Map<String, String> headers,
        boolean apiSecretPresent, boolean apiSecretValid, String body, int status, String time) {

    static RecordedRequest of(Call call, boolean apiSecretValid, int status) {
        Map<String, String> headers = new TreeMap<>();
        call.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(ApiSecret.HEADER)) {
                headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values));
            }
        });
        return new RecordedRequest(call.method(), call.path(), call.rawQuery(), headers,
                ApiSecret.isPresent(call), apiSecretValid, call.bodyText(), status, Instant.now().toString());
    }
}
