package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One injected failure of the FLOW API, as posted to {@code POST /sandbox/faults}:
 * <pre>{"method"?: "GET", "path": "/events/sessions", "status"?: 503, "retryAfter"?: "2", "body"?: "not json",
 *  "contentType"?: "application/json", "delayMs"?: 0, "times"?: 2, "dropConnection"?: false}</pre>
 * A rule with a status, a body or dropConnection answers in place of FLOW (status 200 when only a body is
 * given); a rule with only delayMs slows the request down and lets it be served normally. {@code times}
 * counts down on each matching request; without it the rule applies until the faults are cleared.
 */
public final class FaultRule {

    private static final int UNLIMITED = -1;

    private final ObjectNode spec;
    private final RequestMatcher matcher;
    private final AtomicInteger remaining;

    private FaultRule(ObjectNode spec) {
        this.spec = spec;
        this.matcher = RequestMatcher.of(spec.path("method").textValue(), Json.requiredText(spec, "path"));
        this.remaining = new AtomicInteger(spec.has("times") ? spec.get("times").asInt() : UNLIMITED);
    }

    /** Reads a rule from its JSON form (see the class comment); 400 if {@code path} is missing. */
    public static FaultRule fromJson(JsonNode spec) {
        if (!(spec instanceof ObjectNode object)) {
            throw ApiError.badRequest("A fault must be a JSON object");
        }
        return new FaultRule(object.deepCopy());
    }

    boolean matches(String method, String path) {
        return matcher.matches(method, path);
    }

    /** Takes one of the remaining uses; false once they are used up. */
    boolean tryUse() {
        return remaining.getAndUpdate(left -> left > 0 ? left - 1 : left) != 0;
    }

    long delayMs() {
        return spec.path("delayMs").asLong();
    }

    boolean answers() {
        return spec.hasNonNull("status") || spec.hasNonNull("body") || dropsConnection();
    }

    Answer answer() {
        if (dropsConnection()) {
            return Answer.dropConnection();
        }
        byte[] body = spec.path("body").asText().getBytes(StandardCharsets.UTF_8);
        Answer answer = Answer.bytes(spec.path("status").asInt(200), spec.path("contentType").asText(Answer.JSON), body);
        return spec.hasNonNull("retryAfter") ? answer.header("Retry-After", spec.get("retryAfter").asText()) : answer;
    }

    private boolean dropsConnection() {
        return spec.path("dropConnection").asBoolean();
    }

    /** The rule as posted, plus {@code remaining} uses (null when unlimited). */
    ObjectNode toJson() {
        ObjectNode json = spec.deepCopy();
        int left = remaining.get();
        return left == UNLIMITED ? json.putNull("remaining") : json.put("remaining", left);
    }
}
