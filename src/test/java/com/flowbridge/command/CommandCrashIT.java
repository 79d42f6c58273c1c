package com.flowbridge.command;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.flowbridge.launch.Settings;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestBridge;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TestProducer;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real crash: the packaged flow-bridge, as its own process, killed (SIGKILL, no shutdown of any kind) while it
 * carries out registrations, then started again. Wherever the kill fell (before a pending marker, mid-call,
 * between FLOW's answer and the outcome, before the commit), every command ends with exactly one outcome and no
 * commandId is sent to FLOW twice.
 */
class CommandCrashIT extends SandboxTest {

    private static final Path JAR = Path.of("target", "flow-bridge.jar").toAbsolutePath();
    private static final int COMMANDS = 300;
    private Process bridge;

    @AfterEach
    void stopBridge() throws InterruptedException {
        if (bridge != null) {
            bridge.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

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

        bridge = start();
        results.awaitCount(40, Duration.ofSeconds(90));
        bridge.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        int beforeKill = results.records().size();
        assertThat(beforeKill).as("killed mid-way").isLessThan(COMMANDS);

        bridge = start();
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

    private Process start() throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("FLOW_BASE_URL", sandbox.baseUrl());
        environment.put("FLOW_API_SECRET", "test-secret");
        environment.put("FLOW_API_RATE_LIMIT", "1000");
        environment.put("FLOW_POLL_INITIAL_DELAY", "1h");
        environment.put("KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers());
        environment.put("MANAGEMENT_PORT", String.valueOf(TestBridge.freePort()));
        environment.put("WEBHOOK_PORT", String.valueOf(TestBridge.freePort()));
        // A killed member's partitions go to the restarted one after this long, not Kafka's default 45 s.
        environment.put("CAMEL_COMPONENT_KAFKA_SESSION_TIMEOUT_MS", "8000");
        environment.put("COMMANDS_GROUP_ID", topics.get("kafka.topic.command-ledger") + ".consumers");
        for (String property : List.of("kafka.topic.events", "kafka.topic.state", "kafka.topic.registration-commands",
            "kafka.topic.registration-results", "kafka.topic.registration-dlq", "kafka.topic.event-commands",
            "kafka.topic.event-results", "kafka.topic.event-dlq", "kafka.topic.command-ledger")) {
            environment.put(Settings.environmentVariable(property), topics.get(property));
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", JAR.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/command-crash-it.log")));
        builder.environment().keySet().removeIf(name -> name.startsWith("FLOW_") || name.startsWith("KAFKA_") || name.startsWith("WEBHOOK_"));
        builder.environment().putAll(environment);
        return builder.start();
    }
}
