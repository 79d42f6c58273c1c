package com.flowbridge.signal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.capture.Snapshots;
import com.flowbridge.command.FieldError;
import com.flowbridge.redrive.Redrive;
import com.flowbridge.redrive.RedriveCommand;

/**
 * Reads a signal and says what is wrong with it, field by field, before anything is done with it:
 * <ul>
 *   <li>{@code id}: letters, digits, {@code .}, {@code _}, {@code -}, at most 128;</li>
 *   <li>{@code execute-snapshot}: {@code data.data-collections}, a non-empty list of the polled collections (sessions,
 *       registrants, operators, and any other polled entity running); {@code data.filter.sessionToken} optional;
 *       {@code data.type} {@code incremental} or {@code blocking} accepted as Debezium's users send it;</li>
 *   <li>{@code redrive}: {@code data.from}, a dead-letter topic; optional {@code reason} (a Java regex), {@code since} and
 *       {@code until} (ISO-8601), {@code limit} (1 or more), {@code include-rejected} and {@code dry-run} (booleans), as the
 *       {@code redrive} verb's options.</li>
 * </ul>
 */
public final class SignalParser {

    public static final String REDRIVE = "redrive";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Set<String> SNAPSHOT_FIELDS = Set.of("data-collections", "filter", "type");
    private static final Set<String> REDRIVE_FIELDS = Set.of("from", "reason", "since", "until", "limit", "include-rejected",
        "dry-run");

    private final ObjectMapper mapper;
    private final Supplier<Set<String>> collections;
    private final Map<String, String> commandTopicOfDeadLetters;

    /**
     * @param collections               the collections a snapshot may name (the polled entities running)
     * @param commandTopicOfDeadLetters each dead-letter topic, with the command topic its letters go back to
     */
    public SignalParser(ObjectMapper mapper, Supplier<Set<String>> collections, Map<String, String> commandTopicOfDeadLetters) {
        this.mapper = mapper;
        this.collections = collections;
        this.commandTopicOfDeadLetters = commandTopicOfDeadLetters;
    }

    /**
     * The signal in {@code bytes}; {@code fallbackId} is its id when it has none that can key a notification (the
     * record's coordinates, or the HTTP request's).
     */
    public Signal parse(byte[] bytes, String fallbackId) {
        ObjectNode signal;
        try {
            JsonNode read = bytes == null ? null : mapper.readTree(bytes);
            if (read == null || !read.isObject()) {
                return invalid(fallbackId, "must be a JSON object {\"id\", \"type\", \"data\"}");
            }
            signal = (ObjectNode) read;
        } catch (JsonProcessingException e) {
            return invalid(fallbackId, "is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return invalid(fallbackId, "is not JSON: " + e.getMessage());
        }
        List<FieldError> errors = new ArrayList<>();
        JsonNode idNode = signal.get("id");
        String id = fallbackId;
        if (idNode == null || !idNode.isTextual()) {
            errors.add(new FieldError("id", "is required: a string that names the signal (its notifications' key)"));
        } else if (!ID.matcher(idNode.asText()).matches()) {
            errors.add(new FieldError("id", "must be letters, digits, '.', '_' or '-', at most 128"));
        } else {
            id = idNode.asText();
        }
        String type = signal.path("type").asText("");
        JsonNode dataNode = signal.get("data");
        ObjectNode data = dataNode instanceof ObjectNode object ? object : mapper.createObjectNode();
        if (dataNode != null && !dataNode.isObject() && !dataNode.isNull()) {
            errors.add(new FieldError("data", "must be an object"));
        }
        switch (type) {
            case Snapshots.TYPE -> snapshot(data, errors);
            case REDRIVE -> redrive(data, errors);
            case "" -> errors.add(new FieldError("type", "is required: execute-snapshot or redrive"));
            default -> errors.add(new FieldError("type", "'" + type + "' is not a signal flow-bridge knows (execute-snapshot, redrive)"));
        }
        return new Signal(id, type, data, errors);
    }

    private void snapshot(ObjectNode data, List<FieldError> errors) {
        unknownFields(data, SNAPSHOT_FIELDS, Snapshots.TYPE, errors);
        JsonNode names = data.get("data-collections");
        Set<String> known = collections.get();
        if (names == null || !names.isArray() || names.isEmpty()) {
            errors.add(new FieldError("data.data-collections", "is required: a list of collections to snapshot, of " + known));
        } else {
            for (int i = 0; i < names.size(); i++) {
                JsonNode name = names.get(i);
                if (!name.isTextual() || !known.contains(name.asText())) {
                    errors.add(new FieldError("data.data-collections[" + i + "]", name + " is not a collection flow-bridge polls " + known));
                }
            }
        }
        JsonNode filter = data.get("filter");
        if (filter != null && !filter.isNull()) {
            if (!filter.isObject()) {
                errors.add(new FieldError("data.filter", "must be an object: {\"sessionToken\": \"...\"}"));
            } else {
                unknownFields((ObjectNode) filter, Set.of("sessionToken"), "a snapshot's filter", errors, "data.filter.");
                JsonNode token = filter.get("sessionToken");
                if (token != null && (!token.isTextual() || token.asText().isBlank())) {
                    errors.add(new FieldError("data.filter.sessionToken", "must be a session token"));
                }
            }
        }
        JsonNode kind = data.get("type");
        if (kind != null && !Set.of("incremental", "blocking").contains(kind.asText().toLowerCase())) {
            errors.add(new FieldError("data.type", "must be incremental or blocking (flow-bridge's snapshot runs alongside its polling)"));
        }
    }

    private void redrive(ObjectNode data, List<FieldError> errors) {
        unknownFields(data, REDRIVE_FIELDS, REDRIVE, errors);
        String from = data.path("from").asText("");
        if (!commandTopicOfDeadLetters.containsKey(from)) {
            errors.add(new FieldError("data.from", (from.isEmpty() ? "is required" : "'" + from + "' is not one of flow-bridge's "
                + "dead-letter topics") + ": " + String.join(" or ", commandTopicOfDeadLetters.keySet())));
        }
        if (data.hasNonNull("reason")) {
            try {
                Pattern.compile(data.get("reason").asText());
            } catch (PatternSyntaxException e) {
                errors.add(new FieldError("data.reason", "is not a Java regular expression: " + e.getDescription()));
            }
        }
        Instant since = time(data, "since", errors);
        Instant until = time(data, "until", errors);
        if (since != null && until != null && !since.isBefore(until)) {
            errors.add(new FieldError("data.until", "must be after data.since"));
        }
        JsonNode limit = data.get("limit");
        if (limit != null && !limit.isNull() && (!limit.canConvertToInt() || !limit.isIntegralNumber() || limit.asInt() < 1)) {
            errors.add(new FieldError("data.limit", "must be a whole number, 1 or more"));
        }
        for (String flag : List.of("include-rejected", "dry-run")) {
            if (data.has(flag) && !data.get(flag).isBoolean()) {
                errors.add(new FieldError("data." + flag, "must be true or false"));
            }
        }
    }

    /** The redrive a valid {@code redrive} signal asks for. */
    public Redrive redriveOf(Signal signal) {
        ObjectNode data = signal.data();
        String from = data.path("from").asText();
        return new Redrive(from, commandTopicOfDeadLetters.get(from),
            data.hasNonNull("reason") ? Pattern.compile(data.get("reason").asText()) : null,
            data.hasNonNull("since") ? RedriveCommand.IsoTime.parse(data.get("since").asText()) : null,
            data.hasNonNull("until") ? RedriveCommand.IsoTime.parse(data.get("until").asText()) : null,
            data.hasNonNull("limit") ? data.get("limit").asInt() : null,
            data.path("include-rejected").asBoolean(false), data.path("dry-run").asBoolean(false));
    }

    private static Instant time(ObjectNode data, String field, List<FieldError> errors) {
        if (!data.hasNonNull(field)) {
            return null;
        }
        try {
            return RedriveCommand.IsoTime.parse(data.get(field).asText());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("data." + field, e.getMessage().replace("'" + data.get(field).asText() + "' ", "")));
            return null;
        }
    }

    private static void unknownFields(ObjectNode data, Set<String> known, String of, List<FieldError> errors) {
        unknownFields(data, known, "a " + of + " signal's data", errors, "data.");
    }

    private static void unknownFields(ObjectNode object, Set<String> known, String of, List<FieldError> errors, String prefix) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(new FieldError(prefix + name, "is not a field of " + of + " " + new TreeSet<>(known)));
            }
        }
    }

    private static Signal invalid(String id, String problem) {
        return new Signal(id, "", null, List.of(new FieldError("signal", problem)));
    }
}
