package com.flowbridge.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The one ObjectMapper of the sandbox and the few JSON chores every handler needs. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }

    /** Parses a request body; a body that is not JSON is the caller's mistake (400). */
    static JsonNode parse(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiError.badRequest("Request body is not JSON");
        }
    }

    static ObjectNode parseObject(byte[] body) {
        if (parse(body) instanceof ObjectNode object) {
            return object;
        }
        throw ApiError.badRequest("Request body must be a JSON object");
    }

    static JsonNode readResource(String resource) {
        try {
            return MAPPER.readTree(resourceBytes(resource));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    static byte[] resourceBytes(String resource) {
        try (InputStream in = Json.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    /** The text of a field that must be present and not blank; otherwise a 400 naming the field. */
    static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isValueNode() || value.isNull() || value.asText().isBlank()) {
            throw ApiError.badRequest(field + " is required");
        }
        return value.asText();
    }

    static int requiredInt(JsonNode body, String field) {
        return requiredInt(body, field, field);
    }

    /** A whole-number field; otherwise a 400 naming it by {@code label}, e.g. operators[0].id. */
    static int requiredInt(JsonNode body, String field, String label) {
        if (!body.path(field).canConvertToInt()) {
            throw ApiError.badRequest(label + " is required and must be a number");
        }
        return body.get(field).asInt();
    }

    /** A shallow merge patch (as RFC 7386 on the top level): fields of {@code patch} replace those of {@code target}; a null removes one. */
    static ObjectNode mergePatch(ObjectNode target, ObjectNode patch) {
        patch.fields().forEachRemaining(field -> {
            if (field.getValue().isNull()) {
                target.remove(field.getKey());
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        });
        return target;
    }
}
