package com.flowbridge.capture;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.sandbox.FaultRule;
import com.flowbridge.sandbox.RecordedRequest;
import com.flowbridge.testing.LogLines;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestBridge;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static com.flowbridge.testing.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shipped registrants route against the FLOW sandbox over HTTP and a real Kafka broker. */
class RegistrantsChangeCaptureIT extends SandboxTest {

    private static final String REGISTRANTS_PATH = "/reports/events/sessions/registrants/";
    /** The registrants of the sample sessions that are future or live; the two past ones ended weeks ago. */
    private static final int WATCHED_REGISTRANTS = 4 + 3 + 5;

    @Test
    void the_first_poll_reads_every_registrant_of_the_watched_sessions_with_every_field_flow_sent() {
        TopicProbe registrants = probe("kafka.topic.registrants");
        LogLines log = track(new LogLines("flow-bridge.registrants"));
        startBridge();

        List<ConsumerRecord<String, String>> records = registrants.awaitCount(WATCHED_REGISTRANTS, WAIT);

        List<String> expectedKeys = new ArrayList<>();
        for (String token : List.of("future-roadmap-1", "future-roadmap-2", "live-townhall")) {
            flow().registrants(token).forEach(r -> expectedKeys.add(token + ":" + r.path("email").asText()));
        }
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(expectedKeys);
        for (ConsumerRecord<String, String> record : records) {
            String token = record.key().substring(0, record.key().indexOf(':'));
            JsonNode envelope = value(record);
            assertThat(envelope.path("op").asText()).isEqualTo("r");
            assertThat(envelope.get("before").isNull()).isTrue();
            ObjectNode after = (ObjectNode) envelope.get("after");
            assertThat(after.path("eventSessionToken").asText()).isEqualTo(token);
            ObjectNode asFlowSentIt = after.deepCopy();
            asFlowSentIt.remove("eventSessionToken");
            assertThat(flow().registrants(token)).contains(asFlowSentIt);
            assertThat(envelope.path("source").path("entity").asText()).isEqualTo("registrant");
            assertThat(envelope.path("source").path("endpoint").asText()).isEqualTo(REGISTRANTS_PATH + token);
            assertThat(header(record, "ce_type")).isEqualTo("flow.registrant.read");
            assertThat(header(record, "ce_source")).isEqualTo(sandbox.baseUrl() + REGISTRANTS_PATH + token);
            assertThat(header(record, "ce_subject")).isEqualTo(record.key());
        }
        assertThat(records).extracting(r -> header(r, "ce_id")).doesNotHaveDuplicates();
        assertThat(flow().requestCount("GET", REGISTRANTS_PATH + "past-onboarding")).isZero();
        assertThat(flow().requestCount("GET", REGISTRANTS_PATH + "past-security")).isZero();
        assertThat(log.await(WAIT, "registrants cycle: 12 registrants read from FLOW (3 sessions, 2 past the window or not due left out), "
            + "12 changes published to " + topics.get("kafka.topic.registrants") + " (r=12 c=0 u=0 d=0), 0 failures"))
            .hasSize(1);
    }

    @Test
    void a_new_a_changed_and_a_removed_registrant_are_c_u_and_d_and_quiet_cycles_publish_nothing() {
        TopicProbe registrants = probe("kafka.topic.registrants");
        startBridge();
        registrants.awaitCount(WATCHED_REGISTRANTS, WAIT);

        flow().addRegistrant("future-roadmap-1", json("{\"email\":\"ada@example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"}"));
        flow().patchRegistrant("future-roadmap-1", "marcus.johnson@example.com", json("{\"company\":\"Reyes Partners\"}"));
        flow().removeRegistrant("future-roadmap-1", "sofia.rossi@example.it");

        List<ConsumerRecord<String, String>> changes = registrants.awaitCount(WATCHED_REGISTRANTS + 4, WAIT)
            .subList(WATCHED_REGISTRANTS, WATCHED_REGISTRANTS + 4);
        assertThat(changes).extracting(RegistrantsChangeCaptureIT::describe).containsExactlyInAnyOrder(
            "future-roadmap-1:ada@example.com c", "future-roadmap-1:marcus.johnson@example.com u",
            "future-roadmap-1:sofia.rossi@example.it d", "future-roadmap-1:sofia.rossi@example.it tombstone");
        ConsumerRecord<String, String> update = find(changes, "future-roadmap-1:marcus.johnson@example.com");
        assertThat(value(update).path("before").path("company").asText()).isEqualTo("Johnson & Reyes LLP");
        assertThat(value(update).path("after").path("company").asText()).isEqualTo("Reyes Partners");
        assertThat(header(update, "ce_type")).isEqualTo("flow.registrant.updated");
        ConsumerRecord<String, String> delete = find(changes, "future-roadmap-1:sofia.rossi@example.it");
        assertThat(value(delete).path("before").path("lastName").asText()).isEqualTo("Rossi");
        assertThat(value(delete).get("after").isNull()).isTrue();
        assertThat(header(find(changes, "future-roadmap-1:ada@example.com"), "ce_type")).isEqualTo("flow.registrant.created");

        assertThat(registrants.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void emails_differing_only_in_case_or_surrounding_spaces_are_one_registrant() {
        TopicProbe registrants = probe("kafka.topic.registrants");
        startBridge();
        registrants.awaitCount(WATCHED_REGISTRANTS, WAIT);

        // FLOW now spells a registrant's email differently: the same registrant, updated.
        flow().patchRegistrant("future-roadmap-2", "lukas.novak@example.cz", json("{\"email\":\"  Lukas.Novak@EXAMPLE.cz \"}"));
        ConsumerRecord<String, String> update = registrants.awaitCount(WATCHED_REGISTRANTS + 1, WAIT).get(WATCHED_REGISTRANTS);
        assertThat(describe(update)).isEqualTo("future-roadmap-2:lukas.novak@example.cz u");
        assertThat(value(update).path("after").path("email").asText()).isEqualTo("  Lukas.Novak@EXAMPLE.cz ");

        // One answer listing one person twice: one key, and the later registration wins whatever the order.
        List<ObjectNode> listed = new ArrayList<>(flow().registrants("live-townhall"));
        listed.add(json("{\"email\":\"Ada@Example.com\",\"firstName\":\"Ada\",\"registrationDate\":\"2026-11-02T10:00:00Z\"}"));
        listed.add(json("{\"email\":\" ada@example.COM\",\"firstName\":\"Ada (again)\",\"registrationDate\":\"2026-11-01T10:00:00Z\"}"));
        answerRegistrants("live-townhall", listed, 2);
        List<ObjectNode> reversed = new ArrayList<>(listed);
        Collections.reverse(reversed);
        answerRegistrants("live-townhall", reversed, null);

        List<ConsumerRecord<String, String>> added = registrants.awaitCount(WATCHED_REGISTRANTS + 2, WAIT)
            .subList(WATCHED_REGISTRANTS + 1, WATCHED_REGISTRANTS + 2);
        assertThat(added).extracting(RegistrantsChangeCaptureIT::describe).containsExactly("live-townhall:ada@example.com c");
        assertThat(value(added.get(0)).path("after").path("firstName").asText()).isEqualTo("Ada");
        // Once FLOW lists them the other way round: still the same registrant, nothing to publish.
        await().atMost(WAIT).until(() -> flow().faults().get(0).path("remaining").asInt() == 0);
        assertThat(registrants.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void a_session_whose_registrant_call_fails_is_skipped_without_deletions_and_the_others_carry_on() {
        TopicProbe registrants = probe("kafka.topic.registrants");
        LogLines log = track(new LogLines("flow-bridge.registrants"));
        startBridge();
        registrants.awaitCount(WATCHED_REGISTRANTS, WAIT);

        flow().addFault(FaultRule.fromJson(json("{\"method\":\"GET\",\"path\":\"" + REGISTRANTS_PATH + "live-townhall\",\"status\":500}")));
        flow().removeRegistrant("live-townhall", "zoe.angstrom@example.com");
        flow().addRegistrant("future-roadmap-2", json("{\"email\":\"grace@example.com\",\"firstName\":\"Grace\"}"));

        List<ConsumerRecord<String, String>> records = registrants.awaitCount(WATCHED_REGISTRANTS + 1, WAIT);
        assertThat(describe(records.get(WATCHED_REGISTRANTS))).isEqualTo("future-roadmap-2:grace@example.com c");
        assertThat(registrants.newRecordsWithin(Duration.ofSeconds(3))).as("nothing deleted while FLOW fails").isEmpty();
        List<String> summaries = log.await(WAIT, "registrants cycle:", "1 failure (live-townhall: FLOW registrants call failed: HTTP 500");
        List<String> skipped = log.containing("Registrants of session live-townhall not read this cycle", "HTTP 500");
        assertThat(skipped).isNotEmpty().allMatch(line -> line.startsWith("WARN"));
        assertThat(summaries).isNotEmpty();
        assertThat(skipped.size()).as("one warning per failed cycle").isBetween(summaries.size(), summaries.size() + 1);

        flow().clearFaults();
        List<ConsumerRecord<String, String>> afterRecovery = registrants.awaitCount(WATCHED_REGISTRANTS + 3, WAIT);
        assertThat(afterRecovery.subList(WATCHED_REGISTRANTS + 1, WATCHED_REGISTRANTS + 3)).extracting(RegistrantsChangeCaptureIT::describe)
            .containsExactly("live-townhall:zoe.angstrom@example.com d", "live-townhall:zoe.angstrom@example.com tombstone");
    }

    @Test
    void a_429_with_retry_after_is_waited_out() {
        TopicProbe registrants = probe("kafka.topic.registrants");
        startBridge();
        registrants.awaitCount(WATCHED_REGISTRANTS, WAIT);

        flow().addFault(FaultRule.fromJson(json("{\"method\":\"GET\",\"path\":\"" + REGISTRANTS_PATH + "live-townhall\","
            + "\"status\":429,\"retryAfter\":\"2\",\"times\":1}")));
        flow().patchRegistrant("live-townhall", "kwame.mensah@example.gh", json("{\"attended\":false}"));

        ConsumerRecord<String, String> update = registrants.awaitCount(WATCHED_REGISTRANTS + 1, WAIT).get(WATCHED_REGISTRANTS);
        assertThat(describe(update)).isEqualTo("live-townhall:kwame.mensah@example.gh u");
        List<RecordedRequest> calls = flow().requests("GET", REGISTRANTS_PATH + "live-townhall");
        int limited = indexOfStatus(calls, 429);
        assertThat(limited).as("FLOW answered 429 once").isNotNegative();
        RecordedRequest retry = calls.get(limited + 1);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(Duration.between(Instant.parse(calls.get(limited).time()), Instant.parse(retry.time())))
            .isGreaterThanOrEqualTo(Duration.ofMillis(1950));
        assertThat(registrants.newRecordsWithin(Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void a_restart_publishes_nothing_twice_and_catches_up_with_what_changed_while_down() {
        TopicProbe registrants = probe("kafka.topic.registrants");
        TestBridge first = startBridge();
        registrants.awaitCount(WATCHED_REGISTRANTS, WAIT);
        first.close();

        flow().patchRegistrant("future-roadmap-1", "emily.chen@example.com", json("{\"jobTitle\":\"VP Marketing\"}"));
        flow().addRegistrant("live-townhall", json("{\"email\":\"alan@example.com\",\"firstName\":\"Alan\"}"));
        startBridge();

        List<ConsumerRecord<String, String>> afterRestart = registrants.awaitCount(WATCHED_REGISTRANTS + 2, WAIT)
            .subList(WATCHED_REGISTRANTS, WATCHED_REGISTRANTS + 2);
        assertThat(afterRestart).extracting(RegistrantsChangeCaptureIT::describe).containsExactlyInAnyOrder(
            "future-roadmap-1:emily.chen@example.com u", "live-townhall:alan@example.com c");
        assertThat(registrants.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void the_registrants_of_a_deleted_session_are_deleted_once_flow_confirms_it_is_gone() {
        TopicProbe registrants = probe("kafka.topic.registrants");
        TopicProbe events = probe("kafka.topic.events");
        startBridge();
        registrants.awaitCount(WATCHED_REGISTRANTS, WAIT);

        flow().deleteSession("future-roadmap-2");

        events.await(records -> records.stream().anyMatch(r -> describe(r).equals("future-roadmap-2 d")), WAIT, "the session's d");
        List<ConsumerRecord<String, String>> deletions = registrants.awaitCount(WATCHED_REGISTRANTS + 6, WAIT)
            .subList(WATCHED_REGISTRANTS, WATCHED_REGISTRANTS + 6);
        assertThat(deletions).extracting(RegistrantsChangeCaptureIT::describe).containsExactlyInAnyOrder(
            "future-roadmap-2:lukas.novak@example.cz d", "future-roadmap-2:lukas.novak@example.cz tombstone",
            "future-roadmap-2:aiko.tanaka@example.jp d", "future-roadmap-2:aiko.tanaka@example.jp tombstone",
            "future-roadmap-2:pieter.devries@example.nl d", "future-roadmap-2:pieter.devries@example.nl tombstone");
        assertThat(registrants.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void past_sessions_are_polled_until_the_window_after_their_end() {
        // Dates relative to today, so that the test means the same whenever it runs.
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        flow().patchSession("past-security", json("{\"date\":\"" + today.minusDays(2) + "\"}"));
        flow().patchSession("past-onboarding", json("{\"date\":\"" + today.minusDays(9) + "\"}"));
        TopicProbe registrants = probe("kafka.topic.registrants");
        startBridge(Map.of("flow.registrants.past-window", "7d"));

        List<ConsumerRecord<String, String>> records = registrants.awaitCount(WATCHED_REGISTRANTS + 6, WAIT);

        assertThat(records).filteredOn(r -> r.key().startsWith("past-security:")).hasSize(6);
        assertThat(registrants.newRecordsWithin(Duration.ofSeconds(2))).isEmpty();
        assertThat(flow().requestCount("GET", REGISTRANTS_PATH + "past-onboarding")).isZero();
    }

    @Test
    void every_route_that_calls_flow_shares_one_rate_limit() {
        TopicProbe registrants = probe("kafka.topic.registrants");
        startBridge(Map.of("flow.api.rate-limit", "4"));
        registrants.awaitCount(WATCHED_REGISTRANTS, WAIT);
        flow().clearRequests();

        // The sessions route (3 list calls a second) and the registrants route (3 calls a second) want more than 4.
        registrants.newRecordsWithin(Duration.ofSeconds(4));

        List<RecordedRequest> calls = flow().requests();
        assertThat(calls).extracting(RecordedRequest::path)
            .anyMatch(path -> path.startsWith(REGISTRANTS_PATH)).anyMatch(path -> path.equals("/events/sessions"));
        List<Instant> times = calls.stream().map(call -> Instant.parse(call.time())).sorted().toList();
        assertThat(times.size()).as("about 4 a second over 4 seconds").isBetween(12, 20);
        for (int i = 0; i + 8 < times.size(); i++) {
            // At most 8 in any 2 seconds (checked over 1.8 s: FLOW records a request when it has answered it, so a stall on a
            // loaded machine bunches a few answers together; the pacing itself is FlowBudgetRouteTest's).
            assertThat(Duration.between(times.get(i), times.get(i + 8))).isGreaterThan(Duration.ofMillis(1800));
        }
    }

    /** Makes FLOW answer the session's registrant list with {@code listed}, {@code times} times (null: until faults are cleared). */
    private void answerRegistrants(String token, List<ObjectNode> listed, Integer times) {
        ObjectNode rule = JSON.createObjectNode().put("method", "GET").put("path", REGISTRANTS_PATH + token)
            .put("status", 200).put("body", JSON.createArrayNode().addAll(listed).toString());
        if (times != null) {
            rule.put("times", times);
        }
        flow().addFault(FaultRule.fromJson(rule));
    }

    private static int indexOfStatus(List<RecordedRequest> calls, int status) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).status() == status) {
                return i;
            }
        }
        return -1;
    }

    private static ConsumerRecord<String, String> find(List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(r -> r.key().equals(key) && r.value() != null).findFirst().orElseThrow();
    }

    static String describe(ConsumerRecord<String, String> record) {
        return record.key() + " " + (record.value() == null ? "tombstone" : value(record).path("op").asText());
    }
}
