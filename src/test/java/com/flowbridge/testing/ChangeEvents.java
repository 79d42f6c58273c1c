package com.flowbridge.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Checks on a change topic as its consumers see it. */
public final class ChangeEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChangeEvents() {
    }

    /**
     * The change events emitted twice: a record whose CloudEvents id was seen before, or one that repeats the state
     * its key already had (the same {@code after}, or a second deletion), which a consumer would take for a change.
     * Tombstones are not events. Empty when every event is a real change, emitted once.
     */
    public static List<String> emittedTwice(List<ConsumerRecord<String, String>> records) {
        List<String> twice = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Map<String, JsonNode> stateByKey = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            if (record.value() == null) {
                continue;
            }
            String id = TopicProbe.header(record, "ce_id");
            if (id != null && !ids.add(id)) {
                twice.add(describe(record, "ce_id " + id + " seen before"));
            }
            JsonNode after = after(record);
            JsonNode previous = stateByKey.put(record.key(), after);
            if (previous != null && Objects.equals(previous, after)) {
                twice.add(describe(record, "same state as the key's previous event"));
            }
        }
        return twice;
    }

    private static JsonNode after(ConsumerRecord<String, String> record) {
        try {
            JsonNode value = JSON.readTree(record.value());
            return value.path("op").asText().equals("d") ? JSON.getNodeFactory().textNode("deleted") : value.path("after");
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + record.value(), e);
        }
    }

    private static String describe(ConsumerRecord<String, String> record, String why) {
        return record.topic() + "/" + record.partition() + "@" + record.offset() + " key " + record.key() + ": " + why;
    }
}
