package com.flowbridge.capture;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import com.flowbridge.kafka.RecordMessage;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Turns changes into Kafka records: the Debezium-style envelope
 * {@code {"op", "before", "after", "source", "ts_ms"}} as value, the entity's key, CloudEvents headers, and
 * after every deletion a tombstone with the same key so that compaction forgets the entity. The records are
 * fresh messages carrying only these headers: nothing from FLOW's HTTP answer rides along.
 */
public final class ChangeRecords {

    private final CamelContext context;
    private final ObjectMapper mapper;
    private final CanonicalJson canonical;
    private final String version;
    private final String flowBaseUrl;

    public ChangeRecords(CamelContext context, ObjectMapper mapper, CanonicalJson canonical, String version, String flowBaseUrl) {
        this.context = context;
        this.mapper = mapper;
        this.canonical = canonical;
        this.version = version;
        this.flowBaseUrl = flowBaseUrl;
    }

    /**
     * The records for {@code changes}, for {@code topic}.
     *
     * @param endpoint the FLOW call the changes were read from, e.g. {@code /events/sessions}
     * @param readAt   when FLOW was read
     */
    public List<Message> records(Collection<Change> changes, String topic, String endpoint, Instant readAt) {
        List<Message> records = new ArrayList<>(changes.size() + 4);
        Instant now = Instant.now();
        String source = flowBaseUrl + endpoint;
        for (Change change : changes) {
            String beforeId = change.before() == null ? "" : CloudEvents.fingerprint(canonical.bytes(change.before()));
            String afterId = change.after() == null ? "" : CloudEvents.fingerprint(canonical.bytes(change.after()));

            Message record = record(topic, change.key(), envelope(change, endpoint, readAt, now));
            CloudEvents.apply(record, change.type(), source, change.key(), now, topic, change.key(), change.op().code(), beforeId, afterId);
            records.add(record);

            if (change.op() == Op.DELETE) {
                Message tombstone = record(topic, change.key(), null);
                CloudEvents.apply(tombstone, "flow." + change.entity() + ".tombstone", source, change.key(), now,
                    topic, change.key(), "tombstone", beforeId);
                records.add(tombstone);
            }
        }
        return records;
    }

    /** The records of flow-bridge's own facts (key to JSON text; a null value deletes the fact) for the state topic. */
    public List<Message> facts(String topic, Map<String, String> facts) {
        List<Message> written = new ArrayList<>(facts.size());
        facts.forEach((key, value) -> written.add(record(topic, key, value)));
        return written;
    }

    /** A record with only the headers camel-kafka needs to route it. */
    public Message record(String topic, String key, String value) {
        Message record = RecordMessage.of(context, key, value);
        record.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic);
        return record;
    }

    private String envelope(Change change, String endpoint, Instant readAt, Instant now) {
        ObjectNode envelope = mapper.createObjectNode();
        envelope.put("op", change.op().code());
        envelope.set("before", change.before());
        envelope.set("after", change.after());
        ObjectNode source = envelope.putObject("source");
        source.put("connector", "flow-bridge");
        source.put("version", version);
        source.put("system", "flow");
        source.put("baseUrl", flowBaseUrl);
        source.put("endpoint", endpoint);
        source.put("entity", change.entity());
        source.put("snapshot", change.op() == Op.READ);
        source.put("ts_ms", readAt.toEpochMilli());
        envelope.put("ts_ms", now.toEpochMilli());
        try {
            return mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a change envelope", e);
        }
    }
}
