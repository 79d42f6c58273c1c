package com.flowbridge.command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TestProducer;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real crash: the packaged flow-bridge, as its own process, killed (SIGKILL, no shutdown of any kind) while it
 * carries out registrations, then started again. Wherever the kill fell (before a pending marker, mid-call,
 * between FLOW's answer and the outcome, before the commit), every command ends with exactly one outcome and no
 * commandId is sent to FLOW twice.
 */
class CommandCrashIT extends SandboxTest {

    private static final int COMMANDS = 300;

    @TempDir
    Path workDir;

    @Test
    void a_bridge_killed_mid_batch_and_restarted_answers_every_command_once_and_calls_flow_once_per_command() throws Exception {
        TopicProbe results = probe("kafka.topic.registration-results");
        flow().setLatency("POST", "/registrants", 150);
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            for (int i = 0; i < COMMANDS; i++) {
                String email = "crash" + i + "@example.com";
                producer.send(topics.get("kafka.topic.registration-commands"), "future-roadmap-2:" + email,
                    "{\"commandId\":\"crash-" + i + "\",\"email\":\"" + email + "\",\"firstName\":\"C\",\"lastName\":\"" + i
                        + "\",\"eventSessionToken\":\"future-roadmap-2\"}");
            }
        }

        BridgeProcess bridge = start();
        results.awaitCount(40, Duration.ofSeconds(90));
        bridge.kill();
        int beforeKill = results.records().size();
        assertThat(beforeKill).as("killed mid-way").isLessThan(COMMANDS);

        start();
        results.await(seen -> commandIds(seen).size() == COMMANDS, Duration.ofSeconds(120), "an outcome for every command");
        results.newRecordsWithin(Duration.ofSeconds(3));
        List<ConsumerRecord<String, String>> records = results.records();

        Map<String, Long> outcomesPerCommand = records.stream()
            .collect(Collectors.groupingBy(r -> value(r).path("commandId").asText(), Collectors.counting()));
        assertThat(outcomesPerCommand).hasSize(COMMANDS);
        assertThat(outcomesPerCommand.values()).as("outcomes per command").containsOnly(1L);
        assertThat(records).extracting(r -> value(r).path("status").asText()).containsOnly("registered");
        assertThat(flow().postsByCommandId().values()).as("POSTs per commandId").containsOnly(1L);
        assertThat(flow().registrants("future-roadmap-2")).filteredOn(r -> r.path("email").asText().startsWith("crash"))
            .hasSize(COMMANDS);
    }

    private static java.util.Set<String> commandIds(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> value(r).path("commandId").asText()).collect(Collectors.toSet());
    }

    private BridgeProcess start() throws Exception {
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, "crash", workDir.resolve("locks"));
        environment.put("FLOW_POLL_INITIAL_DELAY", "1h");
        return track(BridgeProcess.start("flow-bridge", workDir.resolve("bridge"), environment));
    }
}
