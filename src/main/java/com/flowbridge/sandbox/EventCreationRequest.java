package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns the body of FLOW's {@code POST /events} into a new future session (accessStatus 1, fresh token and
 * eventToken), or answers 400 naming the field that is missing or wrong.
 */
final class EventCreationRequest {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIME = Pattern.compile("\\d{2}:\\d{2}:\\d{2}");
    private static final List<String> OPTIONAL_FIELDS =
            List.of("published", "duration", "earlyAccessPeriod", "videoRecord", "onDemandReplays");
    private static final List<String> OPERATOR_FLAGS = List.of("micEnabled", "camEnabled", "screenSharingEnabled");

    private EventCreationRequest() {
    }

    static ObjectNode toSession(ObjectNode body, SampleData sample) {
        ObjectNode session = Json.object()
                .put("token", RandomTokens.next(10))
                .put("eventToken", RandomTokens.next(10))
                .put("title", Json.requiredText(body, "title"))
                .put("description", Json.requiredText(body, "description"))
                .put("date", valid(body, "date", value -> DATE.matcher(value).matches() && parses(() -> LocalDate.parse(value))))
                .put("time", valid(body, "time", value -> TIME.matcher(value).matches() && parses(() -> LocalTime.parse(value))))
                .put("timezone", valid(body, "timezone", value -> parses(() -> ZoneId.of(value))))
                .put("createDate", Instant.now().toString())
                .put("accessStatus", SessionEntry.FUTURE);
        session.set("creator", sample.creator(Json.requiredInt(body, "creatorID")));
        session.set("operators", operators(body));
        OPTIONAL_FIELDS.stream().filter(body::hasNonNull).forEach(field -> session.set(field, body.get(field).deepCopy()));
        return sample.newSession(session);
    }

    private static String valid(ObjectNode body, String field, Predicate<String> isValid) {
        String value = Json.requiredText(body, field);
        if (!isValid.test(value)) {
            throw ApiError.badRequest(field + " is not valid: " + value);
        }
        return value;
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }


    private static ArrayNode operators(ObjectNode body) {
        if (!body.path("operators").isArray() || body.get("operators").isEmpty()) {
            throw ApiError.badRequest("operators is required: an array of {id, role, micEnabled, camEnabled, screenSharingEnabled}");
        }
        ArrayNode operators = Json.array();
        for (int i = 0; i < body.get("operators").size(); i++) {
            JsonNode operator = body.get("operators").get(i);
            String prefix = "operators[" + i + "].";
            ObjectNode checked = operators.addObject()
                    .put("id", Json.requiredInt(operator, "id", prefix + "id"))
                    .put("role", Json.requiredInt(operator, "role", prefix + "role"));
            if (checked.get("role").asInt() != 5 && checked.get("role").asInt() != 10) {
                throw ApiError.badRequest(prefix + "role must be 5 (presenter) or 10 (organizer)");
            }
            for (String flag : OPERATOR_FLAGS) {
                if (!operator.path(flag).isBoolean()) {
                    throw ApiError.badRequest(prefix + flag + " is required and must be true or false");
                }
                checked.put(flag, operator.get(flag).asBoolean());
            }
        }
        return operators;
    }
}
