package com.flowbridge.command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.ChangeEvents;
import com.flowbridge.testing.CommandOutcomes;
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
 * A real crash (fault 3 of the reliability suite): the packaged flow-bridge, as its own process, killed (SIGKILL, no
 * shutdown of any kind) while it carries out registrations and polls FLOW, then started again. Wherever the kill
 * fell (before a pending marker, mid-call, between FLOW's answer and the outcome, before the commit, mid-publish of
 * change events), every command ends with exactly one outcome, no commandId is sent to FLOW twice, and no change
 * event is emitted twice. {@code reliability.crash.commands} commands (300 here, 1,000 in bench/reliability/run.sh).
 */
class CommandCrashIT extends SandboxTest {

    private static final String SCENARIO = "crash";

    private final int commands = Reliability.count("crash.commands", 300);

    @TempDir
    Path workDir;

    @Test
    void a_bridge_killed_mid_batch_and_restarted_answers_every_command_once_and_calls_flow_once_per_command() throws Exception {
        TopicProbe results = probe("kafka.topic.registration-results");
        TopicProbe events = probe("kafka.topic.events");
        TopicProbe registrants = probe("kafka.topic.registrants");
        flow().setLatency("POST", "/registrants", 150);
        List<String> commandIds = IntStream.range(0, commands).mapToObj(i -> "crash-" + i).toList();
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            for (int i = 0; i < commands; i++) {
                sendRegistration(producer, "crash", i);
            }
        }

        BridgeProcess bridge = start();
        results.awaitCount(commands / 8, Duration.ofSeconds(90));
        flow().patchSession("live-townhall", json("{\"title\":\"Changed as flow-bridge was killed\"}"));
        bridge.kill();
        long killedAt = System.currentTimeMillis();
        int beforeKill = results.records().size();
        assertThat(beforeKill).as("killed mid-way").isLessThan(commands);

        start();
        results.await(seen -> new CommandOutcomes(seen).perCommandId().keySet().containsAll(commandIds), Duration.ofSeconds(300),
            "an outcome for every command");
        registrants.await(seen -> seen.stream().filter(r -> r.key().startsWith("future-roadmap-2:crash")).count() >= commands,
            Duration.ofSeconds(60), "a change event for every new registrant");
        results.newRecordsWithin(Duration.ofSeconds(3));
        registrants.newRecordsWithin(Duration.ofSeconds(2));
        CommandOutcomes outcomes = new CommandOutcomes(results.records());
        List<ConsumerRecord<String, String>> eventRecords = events.records();
        List<ConsumerRecord<String, String>> registrantRecords = registrants.records();
        Map<String, Long> eventsPerNewRegistrant = registrantRecords.stream().filter(r -> r.key().startsWith("future-roadmap-2:crash"))
            .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        long lastOutcome = results.records().stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow();

        Reliability.figure(SCENARIO, String.format("%d registrations, flow-bridge killed (kill -9) after %d outcomes and restarted; "
            + "every command answered %.1f s after the kill", commands, beforeKill, (lastOutcome - killedAt) / 1000.0));
        Reliability.figure(SCENARIO, "outcomes: " + outcomes.histogram(commandIds) + "; FLOW POSTs per commandId: "
            + flow().postsByCommandId().values().stream().collect(Collectors.groupingBy(n -> n, Collectors.counting())));
        Reliability.figure(SCENARIO, String.format("change events across the kill: %d registrant events for %d new registrants "
                + "(%s per registrant), %d session events; emitted twice: %d", eventsPerNewRegistrant.values().stream().mapToLong(n -> n).sum(),
            commands, eventsPerNewRegistrant.values().stream().distinct().map(String::valueOf).collect(Collectors.joining("/")),
            eventRecords.size(), ChangeEvents.emittedTwice(eventRecords).size() + ChangeEvents.emittedTwice(registrantRecords).size()));

        assertThat(outcomes.perCommandId()).hasSize(commands);
        assertThat(outcomes.perCommandId().values()).as("outcomes per command").containsOnly(1L);
        assertThat(outcomes.perCommandRecord().values()).as("outcomes per command record").containsOnly(1L);
        assertThat(outcomes.statusByCommandId().values()).containsOnly("registered");
        assertThat(flow().postsByCommandId().values()).as("POSTs per commandId").containsOnly(1L);
        assertThat(flow().registrants("future-roadmap-2")).filteredOn(r -> r.path("email").asText().startsWith("crash"))
            .hasSize(commands);
        assertThat(eventsPerNewRegistrant).hasSize(commands);
        assertThat(eventsPerNewRegistrant.values()).as("change events per new registrant").containsOnly(1L);
        assertThat(ChangeEvents.emittedTwice(eventRecords)).isEmpty();
        assertThat(ChangeEvents.emittedTwice(registrantRecords)).isEmpty();
    }

    /**
     * A bridge frozen (SIGSTOP, as by a long GC pause) past its command group's session timeout while it gathers a batch
     * is thrown out of the group; woken, it rejoins and is given its partitions again, which it reads again from the
     * committed offsets, records it had gathered or answered already included. Each command still gets one outcome and one
     * FLOW call.
     */
    @Test
    void a_bridge_frozen_past_its_session_timeout_while_commands_trickle_in_answers_each_once() throws Exception {
        TopicProbe results = probe("kafka.topic.registration-results");
        int trickled = 300;
        List<String> commandIds = IntStream.range(0, trickled).mapToObj(i -> "frozen-" + i).toList();
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, "frozen", workDir.resolve("locks"));
        BridgeProcess bridge = track(BridgeProcess.start("flow-bridge", workDir.resolve("frozen"), environment));
        Thread thaw = null;
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            for (int i = 0; i < trickled; i++) {
                sendRegistration(producer, "frozen", i);
                if (i == trickled / 3) {
                    results.awaitCount(1, Duration.ofSeconds(90));
                    // Mid-batch: the commands sent since the last one are gathered, not yet handed to the route.
                    bridge.freeze();
                    thaw = new Thread(() -> {
                        try {
                            Thread.sleep(Duration.ofSeconds(12).toMillis()); // the session timeout is 8 s
                            bridge.thaw();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, "thaw");
                    thaw.start();
                }
                Thread.sleep(20);
            }
        }
        thaw.join();
        results.await(seen -> new CommandOutcomes(seen).perCommandId().keySet().containsAll(commandIds), Duration.ofSeconds(120),
            "an outcome for every command");
        results.newRecordsWithin(Duration.ofSeconds(3));
        CommandOutcomes outcomes = new CommandOutcomes(results.records());

        assertThat(outcomes.perCommandId()).hasSize(trickled);
        assertThat(outcomes.perCommandId().values()).as("outcomes per command").containsOnly(1L);
        assertThat(outcomes.statusByCommandId().values()).containsOnly("registered");
        assertThat(flow().postsByCommandId().values()).as("POSTs per commandId").containsOnly(1L);
    }

    private BridgeProcess start() {
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, "crash", workDir.resolve("locks"));
        // Small batches (each one transaction of outcomes and offsets), so that the kill falls between two of them.
        environment.put("COMMANDS_BATCH_SIZE", "25");
        return track(BridgeProcess.start("flow-bridge", workDir.resolve("bridge"), environment));
    }

    /** Registration {@code <name>-<i>} for future-roadmap-2, keyed as the webhook keys it. */
    private void sendRegistration(TestProducer producer, String name, int i) {
        String email = name + i + "@example.com";
        producer.send(topics.get("kafka.topic.registration-commands"), "future-roadmap-2:" + email,
            "{\"commandId\":\"" + name + "-" + i + "\",\"email\":\"" + email + "\",\"firstName\":\"" + name
                + "\",\"lastName\":\"" + i + "\",\"eventSessionToken\":\"future-roadmap-2\"}");
    }
}
