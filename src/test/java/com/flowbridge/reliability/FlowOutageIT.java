package com.flowbridge.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import com.flowbridge.sandbox.FaultRule;
import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.ChangeEvents;
import com.flowbridge.testing.CommandOutcomes;
import com.flowbridge.testing.PrometheusText;
import com.flowbridge.testing.Reliability;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TestProducer;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 2: FLOW down for {@code reliability.flow.outage} (18 s here, 5 min in bench/reliability/run.sh), in three
 * equal phases: connection refused (the sandbox stops listening), then 503 on every call, then answers slower than
 * flow-bridge's response timeout. Polls must publish no false deletion and pick up what changed once FLOW is back;
 * commands sent as the outage starts outlive their retry budget and end {@code failed} with a dead letter, commands
 * sent as it ends are {@code registered}, every command gets exactly one outcome; nothing crashes; the metrics and
 * the flow-api readiness check show the outage.
 */
class FlowOutageIT extends SandboxTest {

    private static final String SCENARIO = "flow-outage";
    private static final int RESPONSE_TIMEOUT_MS = 1000;
    private static final String CHANGE = "Changed while FLOW was down";

    private final Duration outage = Reliability.duration("flow.outage", "18s");
    private final int perGroup = Reliability.count("flow.commands-per-group", 5);

    @TempDir
    Path workDir;

    @Test
    void an_outage_of_flow_deletes_nothing_and_ends_each_command_once_registered_or_failed() throws Exception {
        TopicProbe results = probe("kafka.topic.registration-results");
        TopicProbe dlq = probe("kafka.topic.registration-dlq");
        TopicProbe events = probe("kafka.topic.events");
        TopicProbe registrants = probe("kafka.topic.registrants");
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, "flow-outage", workDir.resolve("locks"));
        // A retry budget of 5 attempts, 2.75 to 5.5 s of backoff and at most 1 s per attempt: about 10 s at most.
        environment.put("FLOW_API_MAX_ATTEMPTS", "5");
        environment.put("FLOW_API_RETRY_INITIAL_DELAY", "500ms");
        environment.put("FLOW_API_RETRY_MAX_DELAY", "2s");
        environment.put("FLOW_API_RESPONSE_TIMEOUT_MS", String.valueOf(RESPONSE_TIMEOUT_MS));
        environment.put("FLOW_API_CONNECT_TIMEOUT_MS", String.valueOf(RESPONSE_TIMEOUT_MS));
        BridgeProcess bridge = track(BridgeProcess.start("flow-bridge", workDir.resolve("bridge"), environment));
        events.awaitCount(5, Duration.ofSeconds(90));
        registrants.awaitCount(12, Duration.ofSeconds(30));
        assertThat(outage).as("longer than the retry budget").isGreaterThanOrEqualTo(Duration.ofSeconds(15));
        Duration phase = outage.dividedBy(3);
        List<String> before = new ArrayList<>();

        List<String> early = new ArrayList<>();
        List<String> trickle = new ArrayList<>();
        List<String> late = new ArrayList<>();
        ExecutorService crm = Executors.newSingleThreadExecutor();
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            // The command consumers have their partitions before FLOW goes: what is sent then is read at once.
            send("before", 1, producer, before);
            results.awaitCount(1, Duration.ofSeconds(60));
            sandbox.stopListening();
            long downAt = System.nanoTime();
            send("early", perGroup, producer, early);
            Future<?> trickling = crm.submit(() -> {
                while (System.nanoTime() - downAt < outage.minusSeconds(2).toNanos()) {
                    send("trickle", 1, producer, trickle);
                    Thread.sleep(1000);
                }
                return null;
            });
            Duration seenDown = Reliability.await(() -> bridge.checkStatus("flow-api").equals("DOWN"), phase, "flow-api DOWN");
            Reliability.sleepUntil(downAt + phase.toNanos());

            sandbox.resumeListening();
            flow().addFault(FaultRule.fromJson(json("{\"path\":\"/\",\"status\":503,\"body\":\"{\\\"message\\\":\\\"Service Unavailable\\\"}\"}")));
            flow().patchSession("live-townhall", json("{\"title\":\"" + CHANGE + "\"}"));
            flow().addRegistrant("live-townhall", json("{\"email\":\"added-during-outage@example.com\",\"firstName\":\"A\",\"lastName\":\"B\"}"));
            Reliability.sleepUntil(downAt + 2 * phase.toNanos());

            flow().clearFaults();
            flow().setLatency(null, null, RESPONSE_TIMEOUT_MS * 2L);
            Reliability.sleepUntil(downAt + outage.toNanos() - Duration.ofSeconds(1).toNanos());
            send("late", perGroup, producer, late);
            trickling.get();
            String healthDuringOutage = bridge.checkStatus("flow-api");
            Reliability.sleepUntil(downAt + outage.toNanos());

            flow().setLatency(null, null, 0);
            long backAt = System.currentTimeMillis();
            Duration seenUp = Reliability.await(() -> bridge.checkStatus("flow-api").equals("UP"), Duration.ofSeconds(60), "flow-api UP");
            List<String> commandIds = new ArrayList<>(before);
            commandIds.addAll(early);
            commandIds.addAll(trickle);
            commandIds.addAll(late);
            results.await(seen -> new CommandOutcomes(seen).perCommandId().keySet().containsAll(commandIds),
                Duration.ofSeconds(120), "an outcome for every command");
            events.await(seen -> published(seen) > 0, Duration.ofSeconds(30), "the change made during the outage");
            registrants.await(seen -> seen.stream().anyMatch(r -> r.key().endsWith(":added-during-outage@example.com")),
                Duration.ofSeconds(30), "the registrant added during the outage");
            results.newRecordsWithin(Duration.ofSeconds(3));
            events.newRecordsWithin(Duration.ofSeconds(2));

            CommandOutcomes outcomes = new CommandOutcomes(results.records());
            Map<String, String> status = outcomes.statusByCommandId();
            Set<String> deadLettered = dlq.records().stream().map(r -> TopicProbe.header(r, "command-id")).collect(Collectors.toSet());
            Set<String> failed = status.entrySet().stream().filter(e -> e.getValue().equals("failed")).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
            List<ConsumerRecord<String, String>> eventRecords = events.records();
            List<ConsumerRecord<String, String>> registrantRecords = registrants.records();
            long deletions = eventRecords.stream().filter(r -> r.value() != null && value(r).path("op").asText().equals("d")).count()
                + registrantRecords.stream().filter(r -> r.value() != null && value(r).path("op").asText().equals("d")).count();
            Duration changePublished = Duration.ofMillis(eventRecords.stream().filter(r -> published(List.of(r)) == 1)
                .mapToLong(ConsumerRecord::timestamp).findFirst().orElseThrow() - backAt);
            PrometheusText metrics = bridge.metrics();

            Reliability.figure(SCENARIO, String.format("FLOW down %d s: %d s connection refused, %d s of 503, %d s of answers slower than "
                    + "the %d ms response timeout; retry budget 5 attempts, backoff 500 ms to 2 s", outage.toSeconds(), phase.toSeconds(),
                phase.toSeconds(), phase.toSeconds(), RESPONSE_TIMEOUT_MS));
            Reliability.figure(SCENARIO, "outcomes: " + outcomes.histogram(commandIds) + "; sent as the outage began: "
                + statuses(early, status) + "; during it: " + statuses(trickle, status) + "; 1 s before it ended: "
                + statuses(late, status) + "; dead letters for failed commands: " + failed.stream().filter(deadLettered::contains).count()
                + " of " + failed.size());
            Reliability.figure(SCENARIO, String.format("polls: %d deletions published; the change and the registrant added during the "
                    + "outage published once each (session change %.1f s after FLOW was back); change events emitted twice: %d",
                deletions, Reliability.seconds(changePublished),
                ChangeEvents.emittedTwice(eventRecords).size() + ChangeEvents.emittedTwice(registrantRecords).size()));
            Reliability.figure(SCENARIO, String.format("readiness: flow-api DOWN %.1f s after FLOW stopped listening (%s at the end of the "
                    + "outage), UP %.1f s after FLOW was back; metrics: flowbridge_flow_calls_total none=%.0f 503=%.0f, "
                    + "flowbridge_flow_retries_total=%.0f, flowbridge_dead_letters_total=%.0f; process alive: %s",
                Reliability.seconds(seenDown), healthDuringOutage, Reliability.seconds(seenUp),
                metrics.sum("flowbridge_flow_calls_total", "status=\"none\""), metrics.sum("flowbridge_flow_calls_total", "status=\"503\""),
                metrics.sum("flowbridge_flow_retries_total"), metrics.sum("flowbridge_dead_letters_total"), bridge.isAlive()));

            assertThat(bridge.isAlive()).as("flow-bridge still running").isTrue();
            assertThat(deletions).as("false deletions").isZero();
            assertThat(outcomes.perCommandId()).containsOnlyKeys(commandIds);
            assertThat(outcomes.perCommandId().values()).as("outcomes per command").containsOnly(1L);
            assertThat(outcomes.perCommandRecord().values()).as("outcomes per command record").containsOnly(1L);
            assertThat(early).as("sent as the outage began: retry budget spent").allMatch(id -> status.get(id).equals("failed"));
            assertThat(late).as("sent as the outage ended: FLOW back within the budget").allMatch(id -> status.get(id).equals("registered"));
            assertThat(status.values()).containsOnly("failed", "registered");
            assertThat(deadLettered).as("a dead letter for each failed command, none for the others").isEqualTo(failed);
            assertThat(published(eventRecords)).as("the change made during the outage, published once").isEqualTo(1);
            assertThat(registrantRecords).filteredOn(r -> r.key().endsWith(":added-during-outage@example.com")).hasSize(1);
            assertThat(ChangeEvents.emittedTwice(eventRecords)).isEmpty();
            assertThat(ChangeEvents.emittedTwice(registrantRecords)).isEmpty();
            assertThat(metrics.sum("flowbridge_flow_calls_total", "status=\"none\"")).as("calls refused or timed out").isPositive();
            assertThat(metrics.sum("flowbridge_flow_calls_total", "status=\"503\"")).as("calls answered 503").isPositive();
            assertThat(metrics.sum("flowbridge_dead_letters_total")).isEqualTo(failed.size());
            assertThat(seenDown).as("readiness reports the outage").isLessThan(phase);
        } finally {
            crm.shutdownNow();
            sandbox.resumeListening();
        }
    }

    private synchronized void send(String group, int count, TestProducer producer, List<String> commandIds) {
        for (int i = 0; i < count; i++) {
            String commandId = group + "-" + commandIds.size();
            commandIds.add(commandId);
            producer.send(topics.get("kafka.topic.registration-commands"), "future-roadmap-2:" + commandId + "@example.com",
                "{\"commandId\":\"" + commandId + "\",\"email\":\"" + commandId + "@example.com\",\"firstName\":\"Flow\","
                    + "\"lastName\":\"Outage\",\"eventSessionToken\":\"future-roadmap-2\"}");
        }
    }

    private static String statuses(List<String> commandIds, Map<String, String> status) {
        return commandIds.stream().collect(Collectors.groupingBy(status::get, java.util.TreeMap::new, Collectors.counting())).toString();
    }

    private static long published(List<ConsumerRecord<String, String>> records) {
        return records.stream().filter(r -> r.value() != null)
            .filter(r -> value(r).path("after").path("title").asText().equals(CHANGE))
            .filter(r -> !value(r).path("before").path("title").asText().equals(CHANGE)).count();
    }

}
