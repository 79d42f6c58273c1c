package com.flowbridge.capture;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CanonicalJson CANONICAL = new CanonicalJson(JSON);
    private static final Instant READ_AT = Instant.parse("2026-11-27T15:00:00Z");

    private final SessionLifecycle lifecycle = new SessionLifecycle(
        new ChangeRecords(new DefaultCamelContext(), JSON, CANONICAL, "test", "https://flow.test/api/v1"),
        JSON, CANONICAL, "flow.session-lifecycle", "https://flow.test/api/v1/events/sessions");

    @Test
    void each_move_of_the_access_status_has_its_state_and_event_type() {
        assertThat(only(update(1, 2))).satisfies(record -> expect(record, 1, 2, "live", "flow.session.started"));
        assertThat(only(update(2, 3))).satisfies(record -> expect(record, 2, 3, "ended", "flow.session.ended"));
        assertThat(only(update(1, 3))).satisfies(record -> expect(record, 1, 3, "ended", "flow.session.ended"));
        assertThat(only(update(3, 1))).satisfies(record -> expect(record, 3, 1, "scheduled", "flow.session.rescheduled"));
        assertThat(only(update(null, 2))).satisfies(record -> assertThat(value(record).get("from").isNull()).isTrue());
    }

    @Test
    void changes_that_do_not_move_the_access_status_give_nothing() {
        Change sameStatus = new Change("session", Op.UPDATE, "", "s", session(2).put("title", "old"), session(2).put("title", "new"));
        Change created = new Change("session", Op.CREATE, "", "s", null, session(2));
        Change read = new Change("session", Op.READ, "", "s", null, session(3));
        Change deleted = new Change("session", Op.DELETE, "", "s", session(2), null);
        Change unknownStatus = update(2, 7);
        Change registrant = new Change("registrant", Op.UPDATE, "s", "a@b.c", session(1), session(2));

        assertThat(lifecycle.records(List.of(sameStatus, created, read, deleted, unknownStatus, registrant), READ_AT)).isEmpty();
    }

    @Test
    void the_same_move_published_twice_has_the_same_id() {
        String first = only(update(1, 2)).getHeader(CloudEvents.ID, String.class);
        assertThat(only(update(1, 2)).getHeader(CloudEvents.ID, String.class)).isEqualTo(first);
        assertThat(only(update(2, 3)).getHeader(CloudEvents.ID, String.class)).isNotEqualTo(first);
    }

    private static void expect(Message record, int from, int to, String state, String type) {
        JsonNode value = value(record);
        assertThat(value.path("sessionToken").asText()).isEqualTo("s-1");
        assertThat(value.path("from").asInt()).isEqualTo(from);
        assertThat(value.path("to").asInt()).isEqualTo(to);
        assertThat(value.path("state").asText()).isEqualTo(state);
        assertThat(value.path("ts_ms").asLong()).isEqualTo(READ_AT.toEpochMilli());
        assertThat(record.getHeader(CloudEvents.TYPE)).isEqualTo(type);
        assertThat(record.getHeader(CloudEvents.SUBJECT)).isEqualTo("s-1");
        assertThat(record.getHeader(KafkaConstants.KEY)).isEqualTo("s-1");
        assertThat(record.getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("flow.session-lifecycle");
    }

    private Message only(Change change) {
        List<Message> records = lifecycle.records(List.of(change), READ_AT);
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static Change update(Integer from, int to) {
        ObjectNode before = from == null ? JSON.createObjectNode().put("token", "s-1") : session(from);
        return new Change("session", Op.UPDATE, "", "s-1", before, session(to));
    }

    private static ObjectNode session(int accessStatus) {
        return JSON.createObjectNode().put("token", "s-1").put("accessStatus", accessStatus);
    }

    private static JsonNode value(Message record) {
        try {
            return JSON.readTree(record.getBody(String.class));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
