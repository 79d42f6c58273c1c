package com.flowbridge.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.ChangeEvents;
import com.flowbridge.testing.CommandOutcomes;
import com.flowbridge.testing.Reliability;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TestProducer;
import com.flowbridge.testing.TopicProbe;
import com.flowbridge.testing.WebhookClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault 1: the Kafka broker stops for {@code reliability.kafka.outage} (8 s here, 60 s in bench/reliability/run.sh)
 * while commands flow and polls run, then comes back on the same address with its data. The packaged jar runs as its
 * own process against the sandbox; commands come from a CRM's patient Kafka producer and from the webhook (a careful
 * CRM posting again after each 503). Every command gets exactly one outcome, FLOW is called once per commandId, a
 * change made in FLOW during the outage is published once after it, readiness says DOWN while Kafka is away, and
 * flow-bridge carries on without a restart.
 */
class KafkaOutageIT extends SandboxTest {

    private static final String SCENARIO = "kafka-outage";
    private static final String CHANGE = "Changed while Kafka was down";

    private final Duration outage = Reliability.duration("kafka.outage", "8s");
    private final int perPhase = Reliability.count("kafka.commands-per-phase", 20);
    private final int byWebhook = Reliability.count("kafka.webhook-commands", 3);

    @TempDir
    Path workDir;

    @Test
    void every_command_gets_one_outcome_and_every_change_is_published_once_across_a_broker_outage() throws Exception {
        TopicProbe commands = probe("kafka.topic.registration-commands");
        TopicProbe results = probe("kafka.topic.registration-results");
        TopicProbe events = probe("kafka.topic.events");
        TopicProbe registrants = probe("kafka.topic.registrants");
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, "kafka-outage", workDir.resolve("locks"));
        environment.put("WEBHOOK_SECRET", WebhookClient.SECRET);
        BridgeProcess bridge = track(BridgeProcess.start("flow-bridge", workDir.resolve("bridge"), environment));
        WebhookClient webhook = new WebhookClient(Integer.parseInt(environment.get("WEBHOOK_PORT")));
        events.awaitCount(5, Duration.ofSeconds(90));
        registrants.awaitCount(1, Duration.ofSeconds(30));
        Reliability.await(() -> bridge.checkStatus("kafka-cluster").equals("UP"), Duration.ofSeconds(30), "kafka-cluster UP");

        List<String> commandIds = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        List<Future<Integer>> posted = new ArrayList<>();
        ExecutorService crms = Executors.newCachedThreadPool();
        AtomicInteger webhookAttempts = new AtomicInteger();
        try (TestProducer producer = TestProducer.patient(TestKafka.bootstrapServers(), outage)) {
            sendCommands("before", producer, commandIds, sent);
            for (Future<RecordMetadata> acknowledged : sent) {
                acknowledged.get();
            }

            TestKafka.stopBroker();
            long stoppedAt = System.nanoTime();
            sendCommands("during", producer, commandIds, sent);
            for (int i = 0; i < byWebhook; i++) {
                String commandId = "during-webhook-" + i;
                commandIds.add(commandId);
                posted.add(crms.submit(() -> webhookAttempts.addAndGet(
                    webhook.postUntilAccepted("/webhooks/registrations", command(commandId), outage.plusMinutes(3)))));
            }
            flow().patchSession("live-townhall", json("{\"title\":\"" + CHANGE + "\"}"));
            Duration seenDown = Reliability.await(() -> bridge.checkStatus("kafka-cluster").equals("DOWN"), outage, "kafka-cluster DOWN");
            Reliability.sleepUntil(stoppedAt + outage.toNanos());
            String healthDuringOutage = bridge.health().statusCode() + " " + bridge.checkStatus("kafka-cluster");

            TestKafka.startBroker();
            long restartedAt = System.currentTimeMillis();
            long restarted = System.nanoTime();
            Duration seenUp = null;
            Duration changeDelivered = null;
            while (seenUp == null || changeDelivered == null) {
                assertThat(Duration.ofNanos(System.nanoTime() - restarted)).as("recovery").isLessThan(Duration.ofMinutes(2));
                if (seenUp == null && bridge.checkStatus("kafka-cluster").equals("UP")) {
                    seenUp = Duration.ofNanos(System.nanoTime() - restarted);
                }
                if (changeDelivered == null && published(events.records()) > 0) {
                    changeDelivered = Duration.ofNanos(System.nanoTime() - restarted);
                }
                Thread.sleep(250);
            }
            sendCommands("after", producer, commandIds, sent);
            for (Future<RecordMetadata> acknowledged : sent) {
                acknowledged.get();
            }
            for (Future<Integer> accepted : posted) {
                accepted.get();
            }

            results.await(seen -> new CommandOutcomes(seen).perCommandId().keySet().containsAll(commandIds),
                Duration.ofSeconds(180), "an outcome for every command");
            results.newRecordsWithin(Duration.ofSeconds(3));
            events.newRecordsWithin(Duration.ofSeconds(3));
            CommandOutcomes outcomes = new CommandOutcomes(results.records());
            List<ConsumerRecord<String, String>> commandRecords = commands.await(seen -> seen.size() >= commandIds.size(),
                Duration.ofSeconds(30), "every command on the command topic");
            List<ConsumerRecord<String, String>> eventRecords = events.records();
            List<ConsumerRecord<String, String>> registrantRecords = registrants.records();
            Duration firstOutcome = Duration.ofMillis(results.records().stream().mapToLong(ConsumerRecord::timestamp)
                .filter(written -> written >= restartedAt).min().orElseThrow() - restartedAt);

            Reliability.figure(SCENARIO, String.format("broker stopped %d s; %d commands by Kafka (%d before, %d during, %d after), "
                    + "%d by webhook during the outage (%d POSTs, the ones answered 503 sent again)", outage.toSeconds(),
                3 * perPhase, perPhase, perPhase, perPhase, byWebhook, webhookAttempts.get()));
            Reliability.figure(SCENARIO, "outcomes: " + outcomes.histogram(commandIds) + "; " + commandRecords.size()
                + " command records, each answered " + outcomes.perCommandRecord().values().stream().distinct().map(String::valueOf)
                .collect(Collectors.joining("/")) + " time(s); FLOW POSTs per commandId: "
                + flow().postsByCommandId().values().stream().distinct().map(String::valueOf).collect(Collectors.joining("/")));
            Reliability.figure(SCENARIO, String.format("readiness: kafka-cluster DOWN %.1f s after the broker stopped (health %s during "
                + "the outage), UP %.1f s after it restarted", Reliability.seconds(seenDown), healthDuringOutage, Reliability.seconds(seenUp)));
            Reliability.figure(SCENARIO, String.format("recovery without a restart: first outcome %.1f s after the broker restarted; "
                + "the change made in FLOW during the outage (picked up by a poll whose publish waited for Kafka) delivered %.1f s "
                + "after, %d time(s); change events emitted twice: %d",
                Reliability.seconds(firstOutcome), Reliability.seconds(changeDelivered), published(eventRecords),
                ChangeEvents.emittedTwice(eventRecords).size() + ChangeEvents.emittedTwice(registrantRecords).size()));

            assertThat(bridge.isAlive()).as("flow-bridge still running (never restarted)").isTrue();
            assertThat(healthDuringOutage).isEqualTo("503 DOWN");
            assertThat(outcomes.perCommandId()).as("outcomes per commandId").containsOnlyKeys(commandIds);
            assertThat(outcomes.perCommandId().values()).as("outcomes per commandId").containsOnly(1L);
            assertThat(outcomes.statusByCommandId().values()).containsOnly("registered");
            assertThat(outcomes.perCommandRecord()).as("one outcome per command record").hasSize(commandRecords.size());
            assertThat(outcomes.perCommandRecord().values()).containsOnly(1L);
            assertThat(flow().postsByCommandId()).as("FLOW POSTs per commandId").containsOnlyKeys(commandIds);
            assertThat(flow().postsByCommandId().values()).containsOnly(1L);
            assertThat(published(eventRecords)).as("the change made during the outage, published once").isEqualTo(1);
            assertThat(ChangeEvents.emittedTwice(eventRecords)).isEmpty();
            assertThat(ChangeEvents.emittedTwice(registrantRecords)).isEmpty();
        } finally {
            crms.shutdownNow();
        }
    }

    private void sendCommands(String phase, TestProducer producer, List<String> commandIds, List<Future<RecordMetadata>> sent) {
        for (int i = 0; i < perPhase; i++) {
            String commandId = phase + "-" + i;
            commandIds.add(commandId);
            sent.add(producer.sendLater(topics.get("kafka.topic.registration-commands"),
                "future-roadmap-1:" + commandId + "@example.com", command(commandId)));
        }
    }

    private static String command(String commandId) {
        return "{\"commandId\":\"" + commandId + "\",\"email\":\"" + commandId + "@example.com\",\"firstName\":\"Kafka\","
            + "\"lastName\":\"Outage\",\"eventSessionToken\":\"future-roadmap-1\"}";
    }

    /** How many events carry the title change made during the outage (the change itself, not later updates). */
    private static long published(List<ConsumerRecord<String, String>> records) {
        return records.stream().filter(r -> r.value() != null)
            .filter(r -> value(r).path("after").path("title").asText().equals(CHANGE))
            .filter(r -> !value(r).path("before").path("title").asText().equals(CHANGE)).count();
    }

}
