package com.flowbridge.flow;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads FLOW's JSON answers, which come either bare ({@code [...]} or {@code {...}}) or wrapped
 * ({@code {"code": 200, "data": ...}}). Anything else is refused loudly rather than read as "nothing":
 * an empty list read from a garbled answer would look like every session was deleted.
 */
public final class FlowAnswers {

    private final ObjectMapper mapper;

    public FlowAnswers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The list of objects FLOW answered with. */
    public List<ObjectNode> items(String body) {
        JsonNode data = unwrap(body);
        if (!data.isArray()) {
            throw new FlowAnswerException("FLOW answered " + kind(data) + " where a list was expected");
        }
        List<ObjectNode> items = new ArrayList<>(data.size());
        for (JsonNode item : data) {
            if (!item.isObject()) {
                throw new FlowAnswerException("FLOW's list holds " + kind(item) + " where objects were expected");
            }
            items.add((ObjectNode) item);
        }
        return items;
    }

    /** The single object FLOW answered with. */
    public ObjectNode object(String body) {
        JsonNode data = unwrap(body);
        if (!data.isObject()) {
            throw new FlowAnswerException("FLOW answered " + kind(data) + " where an object was expected");
        }
        return (ObjectNode) data;
    }

    /** The answer as JSON, unwrapped if wrapped; null when the body is empty. */
    public JsonNode parsed(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        return unwrap(body);
    }

    private JsonNode unwrap(String body) {
        JsonNode json;
        try {
            json = body == null ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new FlowAnswerException("FLOW answered something that is not JSON: " + preview(body));
        }
        if (json == null || json.isMissingNode() || json.isNull()) {
            throw new FlowAnswerException("FLOW answered with an empty body");
        }
        if (json.isObject() && json.has("code") && json.has("data")) {
            int code = json.path("code").asInt(200);
            if (code >= 300) {
                throw new FlowAnswerException("FLOW answered code " + code + " inside its answer: " + preview(body));
            }
            return json.get("data");
        }
        return json;
    }

    private static String kind(JsonNode node) {
        return node.isNull() ? "null" : "a JSON " + node.getNodeType().name().toLowerCase();
    }

    private static String preview(String body) {
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 120 ? oneLine.substring(0, 120) + "..." : oneLine;
    }
}
