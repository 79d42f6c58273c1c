package com.flowbridge.signal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.sandbox.FaultRule;
import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TestProducer;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signals as an operator sends them, to the packaged jar running as its own processes against the FLOW sandbox and the
 * test broker: POST /signals authenticated as the webhooks (401 without, 400 naming the field for a bad one, 202), bad
 * signals on the topic ABORTED naming the problem, a snapshot of every collection begun at once (operators need not
 * wait for their 10-minute interval) and carried on by the next poller after the active one is killed in the middle of
 * it (FLOW failing the operators' re-read), every current entity published once as a read and nothing after it, and a
 * redrive signal.
 */
class SignalsIT extends SandboxTest {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String TOKEN = "it-signals-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    @Test
    void a_snapshot_signal_survives_the_active_pollers_death_and_publishes_every_entity_once_as_a_read_without_false_changes()
        throws Exception {
        TopicProbe notifications = probe("kafka.topic.notifications");
        TopicProbe sessions = probe("kafka.topic.events");
        TopicProbe registrants = probe("kafka.topic.registrants");
        TopicProbe operators = probe("kafka.topic.operators");
        TopicProbe deadLetters = probe("kafka.topic.registration-dlq");
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, "signals-a", workDir.resolve("locks"));
        environment.put("WEBHOOK_TOKEN", TOKEN);
        BridgeProcess first = track(BridgeProcess.start("flow-bridge-a", workDir.resolve("a"), environment));
        first.awaitLine("Apache Camel 4.17.0 (flow-bridge) started", START);
        first.awaitLine(line -> line.contains("registrants cycle:") && line.contains("changes published") && !line.contains(" 0 registrants read"),
            START, "a registrants cycle that read some");
        first.awaitLine(line -> line.contains("operators cycle:"), START, "the first operators cycle");
        sessions.newRecordsWithin(Duration.ofSeconds(2));
        Map<String, JsonNode> sessionsNow = current(sessions.records());
        Map<String, JsonNode> registrantsNow = current(registrants.records());
        Map<String, JsonNode> operatorsNow = current(operators.records());
        assertThat(registrantsNow).isNotEmpty();
        assertThat(operatorsNow).isNotEmpty();
        int sessionRecords = sessions.records().size();
        int registrantRecords = registrants.records().size();
        int operatorRecords = operators.records().size();
        String signalsUrl = "http://localhost:" + environment.get("WEBHOOK_PORT") + "/signals";
        flow().addFault(FaultRule.fromJson(json("{\"path\":\"/api/v1/operators\",\"method\":\"GET\",\"status\":503}")));

        // Over HTTP: authenticated as the webhooks, checked before it reaches Kafka.
        String snapshot = "{\"id\":\"snap-all\",\"type\":\"execute-snapshot\","
            + "\"data\":{\"data-collections\":[\"sessions\",\"registrants\",\"operators\"]}}";
        assertThat(post(signalsUrl, snapshot, null).statusCode()).isEqualTo(401);
        HttpResponse<String> bad = post(signalsUrl, "{\"id\":\"snap-bad\",\"type\":\"execute-snapshot\","
            + "\"data\":{\"data-collections\":[\"surveys\"]}}", TOKEN);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("errors").get(0).path("field").asText()).isEqualTo("data.data-collections[0]");
        HttpResponse<String> accepted = post(signalsUrl, snapshot, TOKEN);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).path("id").asText()).isEqualTo("snap-all");

        // On the topic: what is wrong is named.
        try (TestProducer operator = new TestProducer(TestKafka.bootstrapServers())) {
            String signals = topics.get("kafka.topic.signals");
            operator.send(signals, "x", "this is not a signal");
            operator.send(signals, "x", "{\"id\":\"stop-it\",\"type\":\"stop-snapshot\",\"data\":{}}");
            operator.send(signals, "x", "{\"id\":\"snap-nobody\",\"type\":\"execute-snapshot\","
                + "\"data\":{\"data-collections\":[\"registrants\"],\"filter\":{\"sessionToken\":\"no-such-session\"}}}");
            operator.send(signals, "x", "{\"id\":\"redrive-nowhere\",\"type\":\"redrive\",\"data\":{\"from\":\"flow.nothing\"}}");
        }
        Map<String, JsonNode> aborted = byId(notifications.await(records -> statuses(records, "ABORTED") >= 4, WAIT, "four ABORTED"), "ABORTED");
        assertThat(aborted.values()).allSatisfy(notification -> assertThat(notification.path("reason").asText()).isNotBlank());
        assertThat(aborted.get("stop-it").path("reason").asText()).contains("type 'stop-snapshot' is not a signal flow-bridge knows");
        assertThat(aborted.get("snap-nobody").path("reason").asText()).contains("data.filter.sessionToken 'no-such-session'");
        assertThat(aborted.get("redrive-nowhere").path("reason").asText()).contains("data.from 'flow.nothing'");
        assertThat(aborted.keySet()).as("the one that is not JSON is keyed by where it was")
            .anyMatch(id -> id.startsWith(topics.get("kafka.topic.signals") + "/"));
        assertThat(aborted.values()).anyMatch(notification -> notification.path("reason").asText().contains("signal is not JSON"));

        // Sessions and registrants are re-read at once; operators cannot be (FLOW fails them): the poller dies half way.
        notifications.await(records -> inProgress(records, "snap-all").containsAll(Set.of("sessions", "registrants")), WAIT,
            "sessions and registrants re-read");
        first.awaitLine(line -> line.contains("Operators not read this cycle"), WAIT, "the operators' re-read failing");
        assertThat(byId(notifications.records(), "COMPLETED")).doesNotContainKey("snap-all");
        first.kill();
        flow().clearFaults();
        environment.put("FLOW_INSTANCE_ID", "signals-b");
        BridgeProcess second = track(BridgeProcess.start("flow-bridge-b", workDir.resolve("b"), environment));
        JsonNode completed = byId(notifications.await(records -> byId(records, "COMPLETED").containsKey("snap-all"), START,
            "snap-all COMPLETED"),
            "COMPLETED").get("snap-all");

        assertThat(completed.path("collections").path("sessions").path("records").asInt()).isEqualTo(sessionsNow.size());
        assertThat(completed.path("collections").path("registrants").path("records").asInt()).isEqualTo(registrantsNow.size());
        assertThat(completed.path("collections").path("operators").path("records").asInt()).isEqualTo(operatorsNow.size());
        second.awaitLine(line -> line.contains("registrants cycle:"), WAIT, "a registrants cycle after the snapshot");
        sessions.newRecordsWithin(Duration.ofSeconds(3));
        assertReadOnceEach(sessions.records().subList(sessionRecords, sessions.records().size()), sessionsNow);
        assertReadOnceEach(registrants.records().subList(registrantRecords, registrants.records().size()), registrantsNow);
        assertReadOnceEach(operators.records().subList(operatorRecords, operators.records().size()), operatorsNow);
        assertThat(notifications.records()).filteredOn(record -> record.key().equals("snap-all"))
            .extracting(record -> value(record).path("status").asText())
            .as("one STARTED, progress, one COMPLETED").startsWith("STARTED").endsWith("COMPLETED")
            .filteredOn("COMPLETED"::equals).hasSize(1);

        // A redrive, as a signal: the malformed command's dead letter is sent again, once asked for explicitly.
        try (TestProducer crm = new TestProducer(TestKafka.bootstrapServers())) {
            crm.send(topics.get("kafka.topic.registration-commands"), "signals:bad", "not a command");
        }
        deadLetters.awaitCount(1, WAIT);
        HttpResponse<String> redrive = post(signalsUrl, "{\"id\":\"redrive-1\",\"type\":\"redrive\",\"data\":{\"from\":\""
            + topics.get("kafka.topic.registration-dlq") + "\",\"include-rejected\":true}}", TOKEN);
        assertThat(redrive.statusCode()).as(redrive.body()).isEqualTo(202);
        JsonNode redriven = byId(notifications.await(records -> byId(records, "COMPLETED").containsKey("redrive-1"), WAIT,
            "redrive-1 COMPLETED"),
            "COMPLETED").get("redrive-1");
        assertThat(redriven.path("read").asInt()).isEqualTo(1);
        assertThat(redriven.path("redriven").asInt()).isEqualTo(1);
        assertThat(redriven.path("summary").asText()).contains("1 redriven");
        deadLetters.awaitCount(2, WAIT);
    }

    /** Each entity of {@code now} exactly once among {@code records}, as a read of its current document; nothing else. */
    private static void assertReadOnceEach(List<ConsumerRecord<String, String>> records, Map<String, JsonNode> now) {
        Map<String, List<String>> opsByKey = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
            Collectors.mapping(record -> value(record) == null ? "tombstone" : value(record).path("op").asText(), Collectors.toList())));
        assertThat(opsByKey.keySet()).isEqualTo(now.keySet());
        assertThat(opsByKey.values()).allSatisfy(ops -> assertThat(ops).containsExactly("r"));
        records.forEach(record -> {
            assertThat(value(record).path("source").path("snapshot").asBoolean()).isTrue();
            assertThat(value(record).path("after")).isEqualTo(now.get(record.key()));
        });
    }

    /** The last document of each entity not deleted. */
    private static Map<String, JsonNode> current(List<ConsumerRecord<String, String>> records) {
        Map<String, JsonNode> current = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode value = value(record);
            if (value == null || value.path("op").asText().equals("d")) {
                current.remove(record.key());
            } else {
                current.put(record.key(), value.path("after"));
            }
        }
        return current;
    }

    private static Map<String, JsonNode> byId(List<ConsumerRecord<String, String>> records, String status) {
        Map<String, JsonNode> found = new HashMap<>();
        records.stream().filter(record -> value(record).path("status").asText().equals(status))
            .forEach(record -> found.put(record.key(), value(record)));
        return found;
    }

    private static long statuses(List<ConsumerRecord<String, String>> records, String status) {
        return records.stream().filter(record -> value(record).path("status").asText().equals(status)).count();
    }

    private static Set<String> inProgress(List<ConsumerRecord<String, String>> records, String signalId) {
        return records.stream().filter(record -> record.key().equals(signalId))
            .map(SandboxTest::value).filter(value -> value.path("status").asText().equals("IN_PROGRESS"))
            .map(value -> value.path("collection").asText()).collect(Collectors.toSet());
    }

    private static HttpResponse<String> post(String url, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
