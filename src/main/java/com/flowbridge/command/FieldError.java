package com.flowbridge.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.List;
import java.util.stream.Collectors;

/** What is wrong with one field of a command, e.g. {@code email}: "is not a valid email address". */
public record FieldError(String field, String message) {

    /** {@code [{"field": ..., "message": ...}]}, as the webhook answers and rejected outcomes carry. */
    public static ArrayNode toJson(List<FieldError> errors) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        errors.forEach(error -> array.addObject().put("field", error.field()).put("message", error.message()));
        return array;
    }

    /** One line naming every field: {@code email is not a valid email address; firstName is required}. */
    public static String describe(List<FieldError> errors) {
        return errors.stream().map(error -> error.field() + " " + error.message()).collect(Collectors.joining("; "));
    }
}
