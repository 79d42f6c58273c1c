package com.flowbridge.capture;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.sandbox.FaultRule;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestBridge;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static com.flowbridge.testing.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

/** The shipped sessions route against the FLOW sandbox over HTTP and a real Kafka broker. */
class SessionsChangeCaptureIT extends SandboxTest {

    private static final Set<String> RECORD_HEADERS = Set.of(
        "ce_specversion", "ce_id", "ce_type", "ce_source", "ce_subject", "ce_time", "content-type");

    @Test
    void the_first_poll_publishes_every_session_as_a_read_with_its_full_event_info() {
        TopicProbe events = probe("kafka.topic.events");
        startBridge();

        List<ConsumerRecord<String, String>> records = events.awaitCount(5, WAIT);

        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
            "future-roadmap-1", "future-roadmap-2", "live-townhall", "past-onboarding", "past-security");
        for (ConsumerRecord<String, String> record : records) {
            JsonNode envelope = value(record);
            assertThat(envelope.path("op").asText()).isEqualTo("r");
            assertThat(envelope.get("before").isNull()).isTrue();
            assertThat(envelope.path("after").path("token").asText()).isEqualTo(record.key());
            // Fields only the event-info call carries: the record holds the full event info.
            assertThat(envelope.path("after").has("description")).isTrue();
            assertThat(envelope.path("after").has("operators")).isTrue();
            assertThat(envelope.path("source").path("snapshot").asBoolean()).isTrue();
            assertThat(envelope.path("ts_ms").asLong()).isPositive();

            assertThat(TopicProbe.headers(record).keySet()).isEqualTo(RECORD_HEADERS);
            assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(record, "ce_type")).isEqualTo("flow.session.read");
            assertThat(header(record, "ce_source")).isEqualTo(sandbox.baseUrl() + "/events/sessions");
            assertThat(header(record, "ce_subject")).isEqualTo(record.key());
            assertThat(Instant.parse(header(record, "ce_time"))).isBefore(Instant.now().plusSeconds(1));
            assertThat(header(record, "content-type")).isEqualTo("application/json");
        }
        assertThat(records).extracting(r -> header(r, "ce_id")).doesNotHaveDuplicates();
    }

    @Test
    void a_change_is_one_update_with_before_and_after_and_unchanged_polls_publish_nothing() {
        TopicProbe events = probe("kafka.topic.events");
        startBridge();
        events.awaitCount(5, WAIT);

        flow().patchSession("live-townhall", json("{\"title\":\"All-hands, moved\"}"));

        List<ConsumerRecord<String, String>> records = events.awaitCount(6, WAIT);
        ConsumerRecord<String, String> update = records.get(5);
        assertThat(update.key()).isEqualTo("live-townhall");
        assertThat(value(update).path("op").asText()).isEqualTo("u");
        assertThat(value(update).path("before").path("title").asText()).isNotEqualTo("All-hands, moved");
        assertThat(value(update).path("after").path("title").asText()).isEqualTo("All-hands, moved");
        assertThat(header(update, "ce_type")).isEqualTo("flow.session.updated");

        // Several more cycles (1 s apart) with nothing changed in FLOW: nothing more on the topic.
        assertThat(events.newRecordsWithin(Duration.ofSeconds(4))).isEmpty();
    }

    @Test
    void a_deleted_session_is_a_delete_then_a_tombstone() {
        TopicProbe events = probe("kafka.topic.events");
        startBridge();
        events.awaitCount(5, WAIT);

        flow().deleteSession("future-roadmap-2");

        List<ConsumerRecord<String, String>> records = events.awaitCount(7, WAIT);
        assertThat(records.subList(5, 7)).extracting(ConsumerRecord::key).containsOnly("future-roadmap-2");
        JsonNode delete = value(records.get(5));
        assertThat(delete.path("op").asText()).isEqualTo("d");
        assertThat(delete.path("before").path("token").asText()).isEqualTo("future-roadmap-2");
        assertThat(delete.get("after").isNull()).isTrue();
        assertThat(header(records.get(5), "ce_type")).isEqualTo("flow.session.deleted");
        assertThat(records.get(6).value()).as("tombstone").isNull();
        assertThat(events.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void a_session_created_after_the_first_look_is_a_create() {
        TopicProbe events = probe("kafka.topic.events");
        startBridge();
        events.awaitCount(5, WAIT);

        ObjectNode session = flow().session("future-roadmap-1").orElseThrow().deepCopy();
        session.put("token", "future-brand-new").put("title", "Brand new");
        flow().upsertSession(session);

        ConsumerRecord<String, String> create = events.awaitCount(6, WAIT).get(5);
        assertThat(create.key()).isEqualTo("future-brand-new");
        assertThat(value(create).path("op").asText()).isEqualTo("c");
        assertThat(header(create, "ce_type")).isEqualTo("flow.session.created");
    }

    @Test
    void a_restart_publishes_nothing_twice_and_catches_up_with_what_changed_while_down() {
        TopicProbe events = probe("kafka.topic.events");
        TestBridge first = startBridge();
        events.awaitCount(5, WAIT);
        first.close();

        flow().patchSession("past-security", json("{\"title\":\"Security basics (recording)\"}"));
        flow().deleteSession("future-roadmap-1");
        startBridge();

        List<ConsumerRecord<String, String>> records = events.awaitCount(8, WAIT);
        List<ConsumerRecord<String, String>> afterRestart = records.subList(5, records.size());
        assertThat(afterRestart).extracting(r -> r.key() + ":" + (r.value() == null ? "tombstone" : value(r).path("op").asText()))
            .containsExactlyInAnyOrder("past-security:u", "future-roadmap-1:d", "future-roadmap-1:tombstone");
        assertThat(events.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void failing_or_garbled_flow_answers_publish_nothing_and_the_route_carries_on() {
        TopicProbe events = probe("kafka.topic.events");
        startBridge();
        events.awaitCount(5, WAIT);

        flow().addFault(FaultRule.fromJson(json("{\"method\":\"GET\",\"path\":\"/events/sessions\",\"status\":500,\"times\":12}")));
        assertThat(events.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
        flow().clearFaults();
        flow().addFault(FaultRule.fromJson(json("{\"method\":\"GET\",\"path\":\"/events/sessions\",\"status\":200,"
            + "\"body\":\"<html>maintenance</html>\",\"contentType\":\"text/html\"}")));
        assertThat(events.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
        flow().clearFaults();
        flow().addFault(FaultRule.fromJson(json("{\"method\":\"GET\",\"path\":\"/events/sessions\",\"status\":200,"
            + "\"body\":\"{\\\"code\\\":200,\\\"data\\\":null}\"}")));
        assertThat(events.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
        flow().clearFaults();

        flow().patchSession("live-townhall", json("{\"title\":\"Back to normal\"}"));
        ConsumerRecord<String, String> update = events.awaitCount(6, WAIT).get(5);
        assertThat(value(update).path("op").asText()).isEqualTo("u");
        assertThat(value(update).path("after").path("title").asText()).isEqualTo("Back to normal");
    }

    @Test
    void a_session_missing_from_the_list_but_still_known_to_flow_is_not_deleted() {
        TopicProbe events = probe("kafka.topic.events");
        startBridge();
        events.awaitCount(5, WAIT);

        // FLOW's list leaves a session out (a glitch, or the session moving between periods), but its event info is there.
        ArrayNode listWithoutOne = JSON.createArrayNode();
        flow().sessions().stream().filter(s -> !s.path("token").asText().equals("past-onboarding")).forEach(listWithoutOne::add);
        flow().addFault(FaultRule.fromJson(JSON.createObjectNode().put("method", "GET").put("path", "/events/sessions")
            .put("status", 200).put("body", listWithoutOne.toString())));

        assertThat(events.newRecordsWithin(Duration.ofSeconds(4)))
            .extracting(r -> r.value() == null ? "tombstone" : value(r).path("op").asText())
            .doesNotContain("d", "tombstone");
    }

    @Test
    void flow_receives_the_api_secret_and_nothing_else_from_flow_bridge() {
        TopicProbe events = probe("kafka.topic.events");
        startBridge();
        events.awaitCount(5, WAIT);

        var requests = flow().requests("GET", "/events/sessions");
        assertThat(requests).isNotEmpty().allSatisfy(request -> {
            assertThat(request.apiSecretValid()).isTrue();
            Set<String> names = request.headers().keySet().stream().map(String::toLowerCase).collect(Collectors.toSet());
            assertThat(names).doesNotContain("ce_type", "kafka.key", "camelhttpmethod", "flowpath", "flowendpoint");
        });
        assertThat(requests).extracting(r -> r.query()).contains(
            "period=future&periodName=future&simple_analytics=1",
            "period=current&periodName=current&simple_analytics=1",
            "period=past&periodName=past&simple_analytics=1");
    }
}
