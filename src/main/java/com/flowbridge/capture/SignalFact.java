package com.flowbridge.capture;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A signal as it is noted on the state topic, key {@code signal:<id>}: what it asked ({@code type}, {@code data}) and how
 * it stands ({@code status}: STARTED, COMPLETED or ABORTED, with a {@code reason}). Written when a signal is taken
 * ({@code signal/Signals}) and when its snapshot completes ({@link Snapshots}); read to tell a signal taken before and
 * which snapshots are under way.
 *
 * @param data   the signal's data, or null
 * @param reason why it was ABORTED, or null
 */
public record SignalFact(String signalId, String type, String status, String at, JsonNode data, String reason) {

    /** The state topic's keys of signal facts start so. */
    public static final String KEY_PREFIX = "signal:";

    /** What a fact that is not JSON reads as: a signal of no known type or status. */
    private static final SignalFact UNREADABLE = new SignalFact(null, null, null, null, null, null);

    public static String key(String signalId) {
        return KEY_PREFIX + signalId;
    }

    public static SignalFact parse(ObjectMapper mapper, String json) {
        JsonNode fact;
        try {
            fact = mapper.readTree(json);
        } catch (IOException e) {
            return UNREADABLE;
        }
        if (fact == null || !fact.isObject()) {
            return UNREADABLE;
        }
        JsonNode data = fact.get("data");
        return new SignalFact(text(fact, "signalId"), text(fact, "type"), text(fact, "status"), text(fact, "at"),
            data == null || data.isNull() ? null : data, text(fact, "reason"));
    }

    public boolean is(String type, String status) {
        return type.equals(this.type) && status.equals(this.status);
    }

    public SignalFact withStatus(String status) {
        return new SignalFact(signalId, type, status, at, data, reason);
    }

    public String json(ObjectMapper mapper) {
        ObjectNode fact = mapper.createObjectNode().put("signalId", signalId).put("type", type).put("status", status)
            .put("at", at);
        if (data != null) {
            fact.set("data", data);
        }
        if (reason != null) {
            fact.put("reason", reason);
        }
        return fact.toString();
    }

    private static String text(JsonNode fact, String field) {
        JsonNode value = fact.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
