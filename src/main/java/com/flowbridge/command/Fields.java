package com.flowbridge.command;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Field checks shared by the command types; each adds at most one error per field. Text is one line of valid
 * Unicode: no control characters (which would let a value forge a header or a log line, or corrupt a CSV export)
 * and no unpaired surrogates (which no UTF-8 text can hold); only multi-line text may hold tabs and line breaks.
 */
final class Fields {

    private Fields() {
    }

    /** A required one-line string, trimmed; null (with an error) when missing, not a string, blank, too long or not clean text. */
    static String requiredText(ObjectNode command, String field, int maxLength, List<FieldError> errors) {
        return required(command, field, maxLength, false, errors);
    }

    /** As {@link #requiredText}, where tabs and line breaks are allowed (descriptions). */
    static String requiredMultilineText(ObjectNode command, String field, int maxLength, List<FieldError> errors) {
        return required(command, field, maxLength, true, errors);
    }

    /** An optional one-line string, trimmed; null when absent. */
    static String optionalText(ObjectNode command, String field, int maxLength, List<FieldError> errors) {
        JsonNode value = command.get(field);
        return value == null || value.isNull() ? null : text(value, field, maxLength, false, errors);
    }

    private static String required(ObjectNode command, String field, int maxLength, boolean multiline, List<FieldError> errors) {
        JsonNode value = command.get(field);
        if (value == null || value.isNull()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        return text(value, field, maxLength, multiline, errors);
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
        // 1e400 is a JSON number, but no double: it would reach FLOW as "Infinity".
        if (value != null && !value.isNull() && (!value.isNumber() || !Double.isFinite(value.asDouble()) || value.asDouble() < 0)) {
            errors.add(new FieldError(field, "must be a number, 0 or more"));
        }
    }

    /** The command's own commandId, if it gives a valid one (a non-blank string of at most 200 characters). */
    static void commandId(ObjectNode command, List<FieldError> errors) {
        optionalText(command, "commandId", 200, errors);
    }

    private static String text(JsonNode value, String field, int maxLength, boolean multiline, List<FieldError> errors) {
        if (!value.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        String raw = value.asText();
        String text = raw.trim();
        if (text.isEmpty()) {
            errors.add(new FieldError(field, "must not be blank"));
            return null;
        }
        if (text.length() > maxLength) {
            errors.add(new FieldError(field, "must be at most " + maxLength + " characters"));
            return null;
        }
        // Trimming drops white space and controls at either end; only the white space may go unremarked.
        if (raw.chars().anyMatch(c -> Character.isISOControl(c) && !isLineSpace(c))
            || !multiline && text.chars().anyMatch(Fields::isLineSpace)) {
            errors.add(new FieldError(field, multiline ? "must not contain control characters other than tabs and line breaks"
                : "must not contain control characters"));
            return null;
        }
        if (hasUnpairedSurrogate(text)) {
            errors.add(new FieldError(field, "must not contain an unpaired surrogate (it is not valid Unicode text)"));
            return null;
        }
        return text;
    }

    private static boolean isLineSpace(int c) {
        return c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
