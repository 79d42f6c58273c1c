package com.flowbridge.command;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.capture.CanonicalJson;

/**
 * Event-creation commands: FLOW's event-creation fields plus {@code commandId}, carried out as FLOW's
 * {@code POST /events} with every field but {@code commandId}. Each event is independent of the others.
 */
public final class EventCreations implements CommandType {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
    private static final List<String> OPERATOR_FLAGS = List.of("micEnabled", "camEnabled", "screenSharingEnabled");
    private static final int MAX_TITLE = 255;
    /** Invalid operators described one by one; the others are counted, so a list of thousands gives a short answer. */
    private static final int OPERATORS_DESCRIBED = 3;

    private final CanonicalJson canonical;

    public EventCreations(CanonicalJson canonical) {
        this.canonical = canonical;
    }

    @Override
    public String kind() {
        return "event";
    }

    @Override
    public List<FieldError> validate(ObjectNode command) {
        List<FieldError> errors = new ArrayList<>();
        Fields.commandId(command, errors);
        Fields.requiredWholeNumber(command, "creatorID", "creatorID", errors);
        Fields.requiredText(command, "title", MAX_TITLE, errors);
        Fields.requiredMultilineText(command, "description", 10_000, errors);
        String date = Fields.requiredText(command, "date", 10, errors);
        if (date != null && !parses(date, DATE, true)) {
            errors.add(new FieldError("date", "must be a real date as YYYY-MM-DD"));
        }
        String time = Fields.requiredText(command, "time", 8, errors);
        if (time != null && !parses(time, TIME, false)) {
            errors.add(new FieldError("time", "must be a time as HH:MM:SS (24 hours)"));
        }
        String timezone = Fields.requiredText(command, "timezone", 64, errors);
        if (timezone != null && !ZONES.contains(timezone)) {
            errors.add(new FieldError("timezone", "must be an IANA time zone such as Europe/Paris"));
        }
        operators(command.get("operators"), errors);
        Fields.optionalBoolean(command, "published", errors);
        Fields.optionalNumber(command, "duration", errors);
        Fields.optionalNumber(command, "earlyAccessPeriod", errors);
        Fields.optionalBoolean(command, "videoRecord", errors);
        Fields.optionalBoolean(command, "onDemandReplays", errors);
        return errors;
    }

    /** The command less its commandId, as canonical JSON (properties sorted). */
    @Override
    public byte[] normalised(ObjectNode command) {
        return canonical.bytes(flowRequest(command));
    }

    @Override
    public String lane(ObjectNode command, String commandId) {
        return commandId;
    }

    @Override
    public String commandKey(ObjectNode command, String commandId) {
        return commandId;
    }

    @Override
    public ObjectNode flowRequest(ObjectNode command) {
        ObjectNode body = command.deepCopy();
        body.remove("commandId");
        return body;
    }

    /** The title, unless it is no string or too long to be valid: outcomes stay small. */
    @Override
    public void describe(ObjectNode outcome, ObjectNode command) {
        JsonNode title = command == null ? null : command.get("title");
        boolean valid = title != null && title.isTextual() && title.asText().trim().length() <= MAX_TITLE;
        outcome.set("title", valid ? title : JsonNodeFactory.instance.nullNode());
    }

    @Override
    public List<String> answerFields() {
        return List.of("sessionToken", "eventToken");
    }

    @Override
    public String successStatus() {
        return "created";
    }

    /** The new session's token (and its event's) when FLOW gives them. */
    @Override
    public void succeeded(ObjectNode outcome, JsonNode data, String location) {
        JsonNode created = data != null && data.isArray() ? data.path(0) : data;
        if (created == null) {
            return;
        }
        for (String field : List.of("token", "sessionToken", "eventSessionToken")) {
            if (created.path(field).isTextual()) {
                outcome.put("sessionToken", created.get(field).asText());
                break;
            }
        }
        if (created.path("eventToken").isTextual()) {
            outcome.put("eventToken", created.get("eventToken").asText());
        }
    }

    @Override
    public String resultKey(ObjectNode outcome) {
        return outcome.path("commandId").asText(null);
    }

    private static void operators(JsonNode operators, List<FieldError> errors) {
        if (operators == null || operators.isNull()) {
            errors.add(new FieldError("operators", "is required: a list of {id, role, micEnabled, camEnabled, screenSharingEnabled}"));
            return;
        }
        if (!operators.isArray() || operators.isEmpty()) {
            errors.add(new FieldError("operators", "must be a non-empty list of {id, role, micEnabled, camEnabled, screenSharingEnabled}"));
            return;
        }
        int invalid = 0;
        for (int i = 0; i < operators.size(); i++) {
            List<FieldError> operatorErrors = operator(operators.get(i), "operators[" + i + "]");
            if (!operatorErrors.isEmpty() && ++invalid <= OPERATORS_DESCRIBED) {
                errors.addAll(operatorErrors);
            }
        }
        if (invalid > OPERATORS_DESCRIBED) {
            errors.add(new FieldError("operators", (invalid - OPERATORS_DESCRIBED) + " more operators are invalid"));
        }
    }

    private static List<FieldError> operator(JsonNode operator, String name) {
        List<FieldError> errors = new ArrayList<>();
        if (!operator.isObject()) {
            errors.add(new FieldError(name, "must be an object"));
            return errors;
        }
        Fields.requiredWholeNumber(operator, "id", name + ".id", errors);
        Long role = Fields.requiredWholeNumber(operator, "role", name + ".role", errors);
        if (role != null && role != 5 && role != 10) {
            errors.add(new FieldError(name + ".role", "must be 5 (presenter) or 10 (organizer)"));
        }
        OPERATOR_FLAGS.forEach(flag -> Fields.requiredBoolean(operator, flag, name + "." + flag, errors));
        return errors;
    }

    private static boolean parses(String value, DateTimeFormatter format, boolean date) {
        try {
            if (date) {
                LocalDate.parse(value, format);
            } else {
                LocalTime.parse(value, format);
            }
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
