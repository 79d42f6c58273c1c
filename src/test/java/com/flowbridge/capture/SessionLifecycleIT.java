package com.flowbridge.capture;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestBridge;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static com.flowbridge.testing.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

/** Session lifecycle records, from the shipped sessions route against the FLOW sandbox and a real Kafka broker. */
class SessionLifecycleIT extends SandboxTest {

    @Test
    void a_session_going_live_then_ending_gives_a_started_then_an_ended_record_besides_its_updates() {
        TopicProbe events = probe("kafka.topic.events");
        TopicProbe lifecycle = probe("kafka.topic.session-lifecycle");
        startBridge();
        events.awaitCount(5, WAIT);
        Instant before = Instant.now();

        flow().patchSession("future-roadmap-1", json("{\"accessStatus\":2}"));
        ConsumerRecord<String, String> started = lifecycle.awaitCount(1, WAIT).get(0);
        flow().patchSession("future-roadmap-1", json("{\"accessStatus\":3}"));
        ConsumerRecord<String, String> ended = lifecycle.awaitCount(2, WAIT).get(1);

        assertThat(started.key()).isEqualTo("future-roadmap-1");
        JsonNode live = value(started);
        assertThat(live.path("sessionToken").asText()).isEqualTo("future-roadmap-1");
        assertThat(live.path("from").asInt()).isEqualTo(1);
        assertThat(live.path("to").asInt()).isEqualTo(2);
        assertThat(live.path("state").asText()).isEqualTo("live");
        assertThat(Instant.ofEpochMilli(live.path("ts_ms").asLong())).isAfterOrEqualTo(before.minusSeconds(2));
        assertThat(header(started, "ce_type")).isEqualTo("flow.session.started");
        assertThat(header(started, "ce_subject")).isEqualTo("future-roadmap-1");
        assertThat(header(started, "ce_source")).isEqualTo(sandbox.baseUrl() + "/events/sessions");

        JsonNode end = value(ended);
        assertThat(end.path("from").asInt()).isEqualTo(2);
        assertThat(end.path("to").asInt()).isEqualTo(3);
        assertThat(end.path("state").asText()).isEqualTo("ended");
        assertThat(header(ended, "ce_type")).isEqualTo("flow.session.ended");
        assertThat(header(ended, "ce_id")).isNotEqualTo(header(started, "ce_id"));

        List<ConsumerRecord<String, String>> updates = events.awaitCount(7, WAIT).subList(5, 7);
        assertThat(updates).extracting(r -> value(r).path("op").asText() + " " + value(r).path("after").path("accessStatus").asInt())
            .containsExactly("u 2", "u 3");
    }

    @Test
    void a_change_that_keeps_the_access_status_gives_no_lifecycle_record_and_a_restart_repeats_none() {
        TopicProbe events = probe("kafka.topic.events");
        TopicProbe lifecycle = probe("kafka.topic.session-lifecycle");
        TestBridge first = startBridge();
        events.awaitCount(5, WAIT);

        flow().patchSession("live-townhall", json("{\"title\":\"All-hands, moved\"}"));
        events.awaitCount(6, WAIT);
        flow().patchSession("live-townhall", json("{\"accessStatus\":3}"));
        events.awaitCount(7, WAIT);
        assertThat(lifecycle.awaitCount(1, WAIT)).extracting(r -> value(r).path("state").asText()).containsExactly("ended");
        first.close();

        flow().patchSession("past-security", json("{\"accessStatus\":1}"));
        startBridge();

        ConsumerRecord<String, String> rescheduled = lifecycle.awaitCount(2, WAIT).get(1);
        assertThat(rescheduled.key()).isEqualTo("past-security");
        assertThat(value(rescheduled).path("state").asText()).isEqualTo("scheduled");
        assertThat(header(rescheduled, "ce_type")).isEqualTo("flow.session.rescheduled");
        assertThat(lifecycle.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
    }
}
