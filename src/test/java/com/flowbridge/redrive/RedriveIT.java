package com.flowbridge.redrive;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.flowbridge.sandbox.FaultRule;
import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.JarRun;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TestProducer;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.flowbridge.testing.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar target/flow-bridge.jar redrive} as an operator uses it, against the packaged jar running as its own
 * process, the FLOW sandbox over HTTP and the test broker: registrations fail while FLOW answers 503 and become dead
 * letters; FLOW is back; a dry run shows what would be sent and writes nothing; the redrive registers each failed one
 * once; a second redrive runs nothing (its copies are duplicates); the rejected one is left until asked for.
 */
class RedriveIT extends SandboxTest {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String SESSION = "future-roadmap-2";
    private static final List<String> FAILED = List.of("crm-redrive-1", "crm-redrive-2", "crm-redrive-3");

    @TempDir
    Path workDir;

    @Test
    void failed_registrations_redriven_once_flow_is_back_run_once_and_never_twice_and_a_rejected_one_only_when_asked()
        throws Exception {
        // The command topic is an input: this test puts a bad command on it on purpose, which its contract does not describe.
        TopicProbe commands = track(TopicProbe.outsideTheContracts(TestKafka.bootstrapServers(), topics.get("kafka.topic.registration-commands")));
        TopicProbe results = probe("kafka.topic.registration-results");
        TopicProbe deadLetters = probe("kafka.topic.registration-dlq");
        String dlq = topics.get("kafka.topic.registration-dlq");
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, "redrive", workDir.resolve("locks"));
        environment.put("FLOW_API_MAX_ATTEMPTS", "2");
        Path bridgeDir = workDir.resolve("bridge");
        flow().addFault(FaultRule.fromJson(json("{\"path\":\"/api/v1/registrants\",\"method\":\"POST\",\"status\":503}")));
        BridgeProcess bridge = track(BridgeProcess.start("flow-bridge", bridgeDir, environment));
        bridge.awaitLine("Apache Camel 4.17.0 (flow-bridge) started", START);
        Instant sent = Instant.now();
        try (TestProducer crm = new TestProducer(TestKafka.bootstrapServers())) {
            for (String commandId : FAILED) {
                crm.send(topics.get("kafka.topic.registration-commands"), SESSION + ":" + commandId + "@example.com",
                    registration(commandId, commandId + "@example.com"));
            }
            crm.send(topics.get("kafka.topic.registration-commands"), SESSION + ":ada@", registration("crm-bad-email", "ada@"));
        }
        results.awaitCount(4, START);
        List<ConsumerRecord<String, String>> letters = deadLetters.awaitCount(4, WAIT);
        assertThat(letters).extracting(letter -> header(letter, "command-status")).containsOnly("failed", "rejected");
        flow().clearFaults();
        flow().clearRequests();
        long commandsBefore = commands.endOffsetSum();
        // Only the redrive's own variables, as an operator's shell would have them: Kafka and the topic names.
        Map<String, String> operator = kafkaOnly(environment);

        // --since the commands were sent: read from there on (Kafka's offsets for that time), which is all four.
        JarRun dryRun = JarRun.of(bridgeDir, operator, "redrive", "--from", dlq, "--dry-run", "--since", sent.toString());
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(dryRun.out().lines().filter(line -> line.startsWith("would redrive " + dlq + "/"))).hasSize(3);
        assertThat(dryRun.lastLine()).startsWith("dry run, nothing written: redrive from " + dlq + " to "
            + topics.get("kafka.topic.registration-commands") + ": 4 dead letters read, 3 would be redriven, "
            + "1 left (1 rejected (--include-rejected sends them too))");
        JarRun limited = JarRun.of(bridgeDir, operator, "redrive", "--from", dlq, "--dry-run", "--limit", "2");
        assertThat(limited.out().lines().filter(line -> line.startsWith("would redrive "))).hasSize(2);
        assertThat(limited.lastLine()).contains("2 would be redriven").contains(", stopped at --limit 2, ");
        assertThat(commands.endOffsetSum()).as("a dry run writes nothing").isEqualTo(commandsBefore);
        assertThat(flow().postsByCommandId()).as("nor does FLOW hear of it").isEmpty();

        JarRun redrive = JarRun.of(bridgeDir, operator, "redrive", "--from", dlq);
        assertThat(redrive.exitCode()).as(redrive.err()).isZero();
        assertThat(redrive.lastLine()).contains(": 4 dead letters read, 3 redriven, 1 left (1 rejected");
        List<ConsumerRecord<String, String>> redriven = commands.await(seen -> redriven(seen).size() == 3, WAIT, "3 redriven commands");
        Map<String, ConsumerRecord<String, String>> letterAt = letters.stream()
            .collect(Collectors.toMap(letter -> letter.topic() + "/" + letter.partition() + "/" + letter.offset(), Function.identity()));
        for (ConsumerRecord<String, String> copy : redriven(redriven)) {
            ConsumerRecord<String, String> letter = letterAt.get(header(copy, "redrive-source"));
            assertThat(letter).as("the dead letter " + header(copy, "redrive-source")).isNotNull();
            assertThat(copy.key()).isEqualTo(letter.key());
            assertThat(copy.partition()).as("the command's own partition")
                .isEqualTo(Integer.parseInt(header(letter, "dlq-source-partition")));
            assertThat(copy.value()).as("the original bytes").isEqualTo(letter.value());
            assertThat(header(copy, "redrive-of")).isEqualTo(header(letter, "command-id")).isIn(FAILED);
            assertThat(header(copy, "command-id")).isNotIn(FAILED);
        }
        Set<String> newIds = redriven(redriven).stream().map(copy -> header(copy, "command-id")).collect(Collectors.toSet());
        assertThat(newIds).hasSize(3);
        List<ConsumerRecord<String, String>> outcomes = results.awaitCount(7, WAIT);
        assertThat(outcomes.subList(4, 7)).extracting(outcome -> value(outcome).path("commandId").asText())
            .containsExactlyInAnyOrderElementsOf(newIds);
        assertThat(outcomes.subList(4, 7)).extracting(outcome -> value(outcome).path("status").asText()).containsOnly("registered");
        assertThat(flow().postsByCommandId()).as("one POST to FLOW per redriven command")
            .isEqualTo(newIds.stream().collect(Collectors.toMap(id -> id, id -> 1L)));
        assertThat(flow().registrants(SESSION)).extracting(registrant -> registrant.path("email").asText())
            .filteredOn(email -> email.startsWith("crm-redrive-")).containsExactlyInAnyOrder(
                "crm-redrive-1@example.com", "crm-redrive-2@example.com", "crm-redrive-3@example.com");

        JarRun again = JarRun.of(bridgeDir, operator, "redrive", "--from", dlq);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.lastLine()).contains(": 4 dead letters read, 3 redriven, 1 left");
        List<ConsumerRecord<String, String>> afterAgain = results.awaitCount(10, WAIT);
        assertThat(afterAgain.subList(7, 10)).extracting(outcome -> value(outcome).path("status").asText()).containsOnly("duplicate");
        assertThat(afterAgain.subList(7, 10)).extracting(outcome -> value(outcome).path("commandId").asText())
            .containsExactlyInAnyOrderElementsOf(newIds);
        assertThat(flow().postsByCommandId()).as("nothing more reached FLOW").hasSize(3).containsOnlyKeys(newIds)
            .allSatisfy((id, posts) -> assertThat(posts).isEqualTo(1L));

        JarRun rejected = JarRun.of(bridgeDir, operator, "redrive", "--from", dlq, "--include-rejected", "--reason", "^invalid command");
        assertThat(rejected.exitCode()).as(rejected.err()).isZero();
        assertThat(rejected.lastLine()).contains(": 4 dead letters read, 1 redriven, 3 left (3 dlq-reason not matching --reason)");
        ConsumerRecord<String, String> outcome = results.awaitCount(11, WAIT).get(10);
        assertThat(value(outcome).path("status").asText()).as("still invalid").isEqualTo("rejected");
        assertThat(value(outcome).path("commandId").asText()).isNotEqualTo("crm-bad-email").isNotIn(newIds);
        assertThat(deadLetters.awaitCount(5, WAIT).get(4)).satisfies(letter ->
            assertThat(header(letter, "command-id")).isEqualTo(value(outcome).path("commandId").asText()));
        assertThat(flow().postsByCommandId()).as("a rejected command never reaches FLOW").containsOnlyKeys(newIds);
        assertThat(results.newRecordsWithin(Duration.ofSeconds(2))).isEmpty();
    }

    private static List<ConsumerRecord<String, String>> redriven(List<ConsumerRecord<String, String>> commands) {
        return commands.stream().filter(record -> header(record, "redrive-of") != null).toList();
    }

    private static Map<String, String> kafkaOnly(Map<String, String> environment) {
        return environment.entrySet().stream().filter(variable -> variable.getKey().startsWith("KAFKA_"))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static String registration(String commandId, String email) {
        return "{\"commandId\":\"" + commandId + "\",\"email\":\"" + email + "\",\"firstName\":\"Dead\",\"lastName\":\"Letter\","
            + "\"eventSessionToken\":\"" + SESSION + "\"}";
    }
}
