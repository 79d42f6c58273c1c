package com.flowbridge.capture;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Message;

/**
 * Lifecycle records: when a published session update moves its {@code accessStatus} (1 scheduled, 2 live,
 * 3 ended), one more record says so on its own topic, {@code {"sessionToken", "from", "to", "state", "ts_ms"}},
 * typed {@code flow.session.started}, {@code flow.session.ended} or {@code flow.session.rescheduled}, for
 * downstream systems that trigger follow-ups. They go out in the same batch as the update itself, so a
 * restart publishes neither twice.
 */
public final class SessionLifecycle {

    private final ChangeRecords records;
    private final ObjectMapper mapper;
    private final CanonicalJson canonical;
    private final String topic;
    private final String source;

    /**
     * @param source the FLOW call session changes are read from, as a URL (the records' {@code ce_source})
     */
    public SessionLifecycle(ChangeRecords records, ObjectMapper mapper, CanonicalJson canonical, String topic, String source) {
        this.records = records;
        this.mapper = mapper;
        this.canonical = canonical;
        this.topic = topic;
        this.source = source;
    }

    public String topic() {
        return topic;
    }

    /** The lifecycle records for the session changes among {@code changes}; none for changes that keep the status. */
    public List<Message> records(Collection<Change> changes, Instant readAt) {
        List<Message> lifecycle = new ArrayList<>();
        Instant now = Instant.now();
        for (Change change : changes) {
            if (change.op() != Op.UPDATE || !SessionChanges.ENTITY.equals(change.entity())) {
                continue;
            }
            Integer from = SessionState.accessStatus(change.before());
            Integer to = SessionState.accessStatus(change.after());
            SessionState state = SessionState.of(to);
            if (state == null || Objects.equals(from, to)) {
                continue;
            }
            Message record = records.record(topic, change.key(), value(change.key(), from, to, state, readAt));
            CloudEvents.apply(record, state.eventType(), source, change.key(), now,
                topic, change.key(), String.valueOf(from), String.valueOf(to), CloudEvents.fingerprint(canonical.bytes(change.after())));
            lifecycle.add(record);
        }
        return lifecycle;
    }

    private String value(String token, Integer from, Integer to, SessionState state, Instant readAt) {
        ObjectNode value = mapper.createObjectNode();
        value.put("sessionToken", token);
        value.put("from", from);
        value.put("to", to);
        value.put("state", state.word());
        value.put("ts_ms", readAt.toEpochMilli());
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a lifecycle record", e);
        }
    }
}
