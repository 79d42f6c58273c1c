package com.flowbridge.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which facts {@code status} calls wrong, and that the table and the JSON say the same. */
class StatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");
    private static final Status.Poller ACTIVE = new Status.Poller("flow-bridge-poller", "Stable", "a", List.of("a", "b"));

    @Test
    void recent_ok_cycles_and_an_active_poller_are_well_whatever_the_dead_letters_and_pending_commands() throws Exception {
        Status status = status(ACTIVE, List.of(cycle("sessions", 60, "ok", NOW.minusSeconds(170), null)), 5, 2);
        assertThat(status.problems()).isEmpty();
        assertThat(status.table()).contains("standby: b").containsPattern("status +OK");
        assertThat(status.json(JSON).path("ok").asBoolean()).isTrue();
    }

    @Test
    void no_active_poller_a_failed_cycle_a_late_one_and_a_missing_one_are_each_wrong() throws Exception {
        Status.Poller none = new Status.Poller("flow-bridge-poller", "PreparingRebalance", null, List.of("a"));
        Status status = status(none, List.of(
            cycle("sessions", 60, "failed", NOW.minusSeconds(5), "FLOW answered 503"),
            cycle("registrants", 60, "ok", NOW.minusSeconds(181), null),
            new Status.Cycle("reports", Duration.ofSeconds(60), null)), 0, 0);
        assertThat(status.problems()).containsExactly(
            "no active poller: the group flow-bridge-poller is preparingrebalance and none of its members [a] holds the poller partition",
            "sessions: the last cycle failed: FLOW answered 503",
            "registrants: no cycle ended in the last 180 s (3 poll intervals of 60 s)",
            "reports: no cycle on record");
        assertThat(status.table()).contains("active poller                        NONE").containsPattern("status +WRONG")
            .contains("  - sessions: the last cycle failed: FLOW answered 503");
        JsonNode json = status.json(JSON);
        assertThat(json.path("ok").asBoolean()).isFalse();
        assertThat(json.path("problems")).hasSize(4);
        assertThat(json.path("cycles").path("registrants").path("problem").asText()).startsWith("registrants: no cycle ended");
    }

    private static Status status(Status.Poller poller, List<Status.Cycle> cycles, long deadLetters, long pending) {
        return new Status(NOW, "kafka:9092", poller, null, cycles,
            List.of(new Status.Lag("flow.registration.commands", 0, 3, 0)),
            List.of(new Status.DeadLetters("flow.registration.dlq", deadLetters, deadLetters)),
            new Status.Pending("flow-bridge.commands", Map.of("registration", pending), pending > 0 ? NOW : null));
    }

    private static Status.Cycle cycle(String collection, long intervalSeconds, String result, Instant ended, String reason)
        throws Exception {
        JsonNode fact = JSON.createObjectNode().put("collection", collection).put("instance", "a").put("result", result)
            .put("startedAt", ended.minusSeconds(1).toString()).put("endedAt", ended.toString())
            .put("summary", reason == null ? collection + " cycle: fine" : null).put("reason", reason);
        return new Status.Cycle(collection, Duration.ofSeconds(intervalSeconds), fact);
    }
}
