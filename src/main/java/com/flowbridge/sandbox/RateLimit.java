package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;

/**
 * A quota of FLOW's own, as {@code POST /sandbox/rate-limit} sets it: at most {@code requestsPerSecond} matching
 * requests are served in any second (a sliding window over the requests served, not those refused); beyond that the
 * answer is 429 with {@code Retry-After} (1 by default, none when given as null) and a JSON message, at once, before
 * any latency or fault applies. Off until set; cleared by {@code DELETE /sandbox/rate-limit} and by a reset.
 */
final class RateLimit {

    private static final long SECOND = 1_000_000_000L;

    private record Rule(int perSecond, String retryAfter, String method, String path, RequestMatcher matcher) {
    }

    private Rule rule;
    private final ArrayDeque<Long> served = new ArrayDeque<>();
    private long accepted;
    private long refused;

    /** Reads {"requestsPerSecond": N, "retryAfter"?: "1" or null, "method"?, "path"?}; 400 if N is not positive. */
    synchronized void set(JsonNode spec) {
        int perSecond = Json.requiredInt(spec, "requestsPerSecond");
        if (perSecond <= 0) {
            throw ApiError.badRequest("requestsPerSecond must be positive (DELETE /sandbox/rate-limit removes the limit)");
        }
        JsonNode retryAfter = spec.get("retryAfter");
        String method = spec.path("method").textValue();
        String path = spec.path("path").textValue();
        rule = new Rule(perSecond, retryAfter == null ? "1" : retryAfter.isNull() ? null : retryAfter.asText(), method, path,
                RequestMatcher.of(method, path));
        served.clear();
        accepted = 0;
        refused = 0;
    }

    synchronized void clear() {
        rule = null;
        served.clear();
        accepted = 0;
        refused = 0;
    }

    /** The 429 to answer a request with, or null when it is within the limit (it is then counted as served). */
    synchronized Answer refusal(String method, String path) {
        if (rule == null || !rule.matcher().matches(method, path)) {
            return null;
        }
        long now = System.nanoTime();
        while (!served.isEmpty() && served.peekFirst() <= now - SECOND) {
            served.removeFirst();
        }
        if (served.size() < rule.perSecond()) {
            served.addLast(now);
            accepted++;
            return null;
        }
        refused++;
        Answer answer = Answer.message(429, "Too many requests: at most " + rule.perSecond() + " a second");
        return rule.retryAfter() == null ? answer : answer.header("Retry-After", rule.retryAfter());
    }

    /** The limit as set (requestsPerSecond null when off), with the requests served and refused under it since. */
    synchronized ObjectNode toJson() {
        ObjectNode json = Json.object();
        if (rule == null) {
            json.putNull("requestsPerSecond");
        } else {
            json.put("requestsPerSecond", rule.perSecond()).put("retryAfter", rule.retryAfter())
                    .put("method", rule.method()).put("path", rule.path());
        }
        return json.put("accepted", accepted).put("refused", refused);
    }
}
