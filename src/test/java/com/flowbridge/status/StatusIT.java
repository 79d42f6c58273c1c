package com.flowbridge.status;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.JarRun;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TestProducer;
import com.flowbridge.testing.TopicProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar target/flow-bridge.jar status} as an operator runs it, beside the packaged jar running as its own
 * process against the FLOW sandbox and the test broker: once every flow has run a cycle it names the active poller,
 * each flow's last cycle, the command lag, the dead letters and the pending commands, and exits 0; with no bridge
 * running it says there is no active poller and exits 1.
 */
class StatusIT extends SandboxTest {

    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path workDir;

    @Test
    void status_names_the_active_poller_and_every_flows_last_cycle_and_exits_non_zero_once_no_bridge_polls() throws Exception {
        TopicProbe deadLetters = probe("kafka.topic.registration-dlq");
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, "status-a", workDir.resolve("locks"));
        Path bridgeDir = workDir.resolve("bridge");
        BridgeProcess bridge = track(BridgeProcess.start("flow-bridge", bridgeDir, environment));
        bridge.awaitLine("Apache Camel 4.17.0 (flow-bridge) started", START);
        try (TestProducer crm = new TestProducer(TestKafka.bootstrapServers())) {
            crm.send(topics.get("kafka.topic.registration-commands"), "status:not-json", "this is not a command");
        }
        deadLetters.awaitCount(1, WAIT);
        Map<String, String> operator = operatorEnvironment(environment);

        JarRun json = awaitHealthy(bridgeDir, operator);
        JsonNode status = JSON.readTree(json.out());
        assertThat(status.path("ok").asBoolean()).as(json.out()).isTrue();
        assertThat(status.path("problems")).isEmpty();
        assertThat(status.path("poller").path("active").asText()).isEqualTo("status-a");
        assertThat(status.path("poller").path("group").asText()).isEqualTo(environment.get("FLOW_POLLER_GROUP"));
        for (String collection : List.of("sessions", "registrants", "operators", "reports")) {
            JsonNode last = status.path("cycles").path(collection).path("last");
            assertThat(last.path("collection").asText()).as(collection).isEqualTo(collection);
            assertThat(last.path("instance").asText()).as(collection).isEqualTo("status-a");
            assertThat(last.path("result").asText()).as(collection).isIn("ok", "partial");
        }
        assertThat(status.path("cycles").path("sessions").path("intervalSeconds").asLong()).isEqualTo(1);
        assertThat(status.path("cycles").path("operators").path("intervalSeconds").asLong()).isEqualTo(600);
        String registrationDlq = topics.get("kafka.topic.registration-dlq");
        assertThat(status.path("deadLetters").path(registrationDlq).path("lastHour").asLong())
            .as("the one malformed command, counted once (not its transaction's marker)").isEqualTo(1);
        assertThat(status.path("deadLetters").path(registrationDlq).path("lastDay").asLong()).isEqualTo(1);
        assertThat(status.path("deadLetters").path(topics.get("kafka.topic.event-dlq")).path("lastDay").asLong()).isZero();
        assertThat(status.path("commandLag").path(topics.get("kafka.topic.registration-commands")).path("lag").asLong())
            .as("the malformed command was settled and its offset committed").isZero();
        assertThat(status.path("commandLag").has(topics.get("kafka.topic.event-commands"))).isTrue();
        assertThat(status.path("commandsPending").path("total").asLong()).isZero();

        JarRun table = JarRun.of(bridgeDir, operator, "status");
        assertThat(table.exitCode()).as(table.out() + table.err()).isZero();
        assertThat(table.out()).containsPattern("active poller +status-a \\(group ")
            .containsPattern("cycle sessions +(ok|partial) +ended \\d+s ago on status-a")
            .containsPattern("dead letters " + registrationDlq.replace(".", "\\.") + " +1 in the last hour, 1 in the last day")
            .containsPattern("status +OK");

        bridge.close();
        JarRun stopped = JarRun.of(bridgeDir, operator, "status", "--json");
        assertThat(stopped.exitCode()).as(stopped.out() + stopped.err()).isEqualTo(StatusCommand.WRONG);
        JsonNode wrong = JSON.readTree(stopped.out());
        assertThat(wrong.path("ok").asBoolean()).isFalse();
        assertThat(wrong.path("poller").path("active").isNull()).isTrue();
        assertThat(wrong.path("problems").get(0).asText()).startsWith("no active poller: the group "
            + environment.get("FLOW_POLLER_GROUP") + " is ").contains("with no member");
        JarRun stoppedTable = JarRun.of(bridgeDir, operator, "status");
        assertThat(stoppedTable.exitCode()).isEqualTo(StatusCommand.WRONG);
        assertThat(stoppedTable.out()).containsPattern("active poller +NONE").containsPattern("status +WRONG")
            .contains("  - no active poller");
    }

    /** The first flows' cycles come within seconds; the reports flow's first after its initial delay. */
    private static JarRun awaitHealthy(Path bridgeDir, Map<String, String> operator) throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        JarRun run = JarRun.of(bridgeDir, operator, "status", "--json");
        while (run.exitCode() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            run = JarRun.of(bridgeDir, operator, "status", "--json");
        }
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        return run;
    }

    /** What an operator's shell has: the Kafka settings and topics, the groups and poll intervals of the deployment. */
    private static Map<String, String> operatorEnvironment(Map<String, String> environment) {
        return environment.entrySet().stream().filter(variable -> variable.getKey().startsWith("KAFKA_")
                || List.of("FLOW_POLLER_GROUP", "COMMANDS_GROUP_ID", "FLOW_POLL_INTERVAL").contains(variable.getKey()))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
