package com.flowbridge.command;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Field checks shared by the command types; each adds at most one error per field. */
final class Fields {

    private Fields() {
    }

    /** A required string, trimmed; null (with an error) when missing, not a string, blank or too long. */
    static String requiredText(ObjectNode command, String field, int maxLength, List<FieldError> errors) {
        JsonNode value = command.get(field);
        if (value == null || value.isNull()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        return text(value, field, maxLength, errors);
    }

    /** An optional string, trimmed; null when absent. */
    static String optionalText(ObjectNode command, String field, int maxLength, List<FieldError> errors) {
        JsonNode value = command.get(field);
        return value == null || value.isNull() ? null : text(value, field, maxLength, errors);
    }

    static void optionalBoolean(JsonNode command, String field, List<FieldError> errors) {
        JsonNode value = command.get(field);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            errors.add(new FieldError(field, "must be true or false"));
        }
    }

    static void requiredBoolean(JsonNode object, String field, String name, List<FieldError> errors) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            errors.add(new FieldError(name, "is required (true or false)"));
        } else if (!value.isBoolean()) {
            errors.add(new FieldError(name, "must be true or false"));
        }
    }

    /** A required whole number; null (with an error) otherwise. */
    static Long requiredWholeNumber(JsonNode object, String field, String name, List<FieldError> errors) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            errors.add(new FieldError(name, "is required"));
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            errors.add(new FieldError(name, "must be a whole number"));
            return null;
        }
        return value.asLong();
    }

    static void optionalNumber(JsonNode command, String field, List<FieldError> errors) {
        JsonNode value = command.get(field);
        if (value != null && !value.isNull() && (!value.isNumber() || value.asDouble() < 0)) {
            errors.add(new FieldError(field, "must be a number, 0 or more"));
        }
    }

    /** The command's own commandId, if it gives a valid one (a non-blank string of at most 200 characters). */
    static void commandId(ObjectNode command, List<FieldError> errors) {
        String commandId = optionalText(command, "commandId", 200, errors);
        if (commandId != null && commandId.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("commandId", "must not contain control characters"));
        }
    }

    private static String text(JsonNode value, String field, int maxLength, List<FieldError> errors) {
        if (!value.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        String text = value.asText().trim();
        if (text.isEmpty()) {
            errors.add(new FieldError(field, "must not be blank"));
            return null;
        }
        if (text.length() > maxLength) {
            errors.add(new FieldError(field, "must be at most " + maxLength + " characters"));
            return null;
        }
        return text;
    }
}
