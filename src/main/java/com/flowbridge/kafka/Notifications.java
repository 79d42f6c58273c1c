package com.flowbridge.kafka;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The records of flow-bridge.notifications: what became of a signal, keyed by the signal's id, in Debezium's spirit.
 * Value: {@code {"signalId", "type", "status", "ts_ms", ...}}, {@code status} one of {@code STARTED}, {@code IN_PROGRESS},
 * {@code COMPLETED}, {@code ABORTED} (then with a {@code reason}).
 */
public final class Notifications {

    public static final String STARTED = "STARTED";
    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String COMPLETED = "COMPLETED";
    public static final String ABORTED = "ABORTED";

    private final CamelContext context;
    private final ObjectMapper mapper;
    private final String topic;

    public Notifications(CamelContext context, ObjectMapper mapper, String topic) {
        this.context = context;
        this.mapper = mapper;
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    /** A notification's value, to add details to: {@code {"signalId", "type", "status", "ts_ms"}}. */
    public ObjectNode value(String signalId, String type, String status) {
        return mapper.createObjectNode().put("signalId", signalId).put("type", type).put("status", status)
            .put("ts_ms", Instant.now().toEpochMilli());
    }

    /** An {@code ABORTED} notification saying why. */
    public Message aborted(String signalId, String type, String reason) {
        return record(value(signalId, type, ABORTED).put("reason", reason));
    }

    /** The record of a notification's value, keyed by its signal id. */
    public Message record(ObjectNode value) {
        try {
            Message record = RecordMessage.of(context, value.path("signalId").asText(), mapper.writeValueAsString(value));
            record.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic);
            record.setHeader("content-type", "application/json");
            return record;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a notification", e);
        }
    }
}
