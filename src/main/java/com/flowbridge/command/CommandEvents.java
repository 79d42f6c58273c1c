package com.flowbridge.command;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.flowbridge.capture.CloudEvents;

/**
 * The CloudEvents attributes (binary mode, {@code ce_*} record headers) of one command kind's outcomes and dead letters,
 * so that every record of a product topic can be read by a CloudEvents consumer:
 * <ul>
 *   <li>outcome: {@code ce_type} {@code flow.<kind>.<status>} (e.g. {@code flow.registration.registered},
 *       {@code flow.event.rejected}), {@code content-type: application/json};</li>
 *   <li>dead letter: {@code ce_type} {@code flow.<kind>.dead-letter}; {@code content-type} {@code application/json} when
 *       the original bytes are JSON, else {@code application/octet-stream}.</li>
 * </ul>
 * Both: {@code ce_source} the FLOW endpoint that carries the command out (e.g. {@code https://.../api/v1/registrants}),
 * {@code ce_subject} the commandId, {@code ce_id} the same for the same command record (should it ever be written twice).
 */
public final class CommandEvents {

    private static final JsonFactory JSON = new JsonFactory();

    private final String kind;
    private final String source;

    /**
     * @param kind   the command kind ({@code registration}, {@code event})
     * @param source the URL of the FLOW call that carries these commands out
     */
    public CommandEvents(String kind, String source) {
        this.kind = kind;
        this.source = source;
    }

    Map<String, String> outcome(CommandRun run, String status, String topic) {
        return attributes("flow." + kind + "." + status, run, topic, "application/json");
    }

    Map<String, String> deadLetter(CommandRun run, String topic) {
        return attributes("flow." + kind + ".dead-letter", run, topic, isJson(run.value()) ? "application/json" : "application/octet-stream");
    }

    private Map<String, String> attributes(String type, CommandRun run, String topic, String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEvents.SPEC_VERSION, "1.0");
        headers.put(CloudEvents.ID, CloudEvents.deterministicId(topic, run.commandId(), run.source().toString()));
        headers.put(CloudEvents.TYPE, type);
        headers.put(CloudEvents.SOURCE, source);
        headers.put(CloudEvents.SUBJECT, run.commandId());
        headers.put(CloudEvents.TIME, Instant.now().toString());
        headers.put(CloudEvents.CONTENT_TYPE, contentType);
        return headers;
    }

    /** Whether the bytes are one JSON value (a dead letter's original bytes need not be). */
    private static boolean isJson(byte[] value) {
        if (value == null || value.length == 0) {
            return false;
        }
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException notJson) {
            return false;
        }
    }
}
