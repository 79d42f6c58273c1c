package com.flowbridge.capture;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.flowbridge.sandbox.FaultRule;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestBridge;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static com.flowbridge.testing.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

/** The shipped operators route against the FLOW sandbox over HTTP and a real Kafka broker. */
class OperatorsChangeCaptureIT extends SandboxTest {

    private static final Map<String, String> FAST = Map.of("flow.operators.poll.interval", "1s");
    private static final String OPERATORS = "["
        + "{\"id\":101,\"email\":\"maya.lindqvist@example.com\",\"firstName\":\"Maya\",\"lastName\":\"Lindqvist\",\"permission\":10},"
        + "{\"id\":102,\"email\":\"tomas.herrera@example.com\",\"firstName\":\"Tomás\",\"lastName\":\"Herrera\",\"permission\":10},"
        + "{\"id\":104,\"email\":\"kenji.sato@example.com\",\"firstName\":\"Kenji\",\"lastName\":\"Sato\",\"permission\":5}]";

    @Test
    void the_first_poll_reads_every_operator_keyed_by_id() {
        TopicProbe operators = probe("kafka.topic.operators");
        TopicProbe state = track(TopicProbe.outsideTheContracts(com.flowbridge.testing.TestKafka.bootstrapServers(), topics.get("kafka.topic.state")));
        startBridge(FAST);

        List<ConsumerRecord<String, String>> records = operators.awaitCount(3, WAIT);

        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("101", "102", "103");
        for (ConsumerRecord<String, String> record : records) {
            JsonNode envelope = value(record);
            assertThat(envelope.path("op").asText()).isEqualTo("r");
            assertThat(envelope.path("after").path("id").asText()).isEqualTo(record.key());
            assertThat(envelope.path("after").has("permission")).isTrue();
            assertThat(header(record, "ce_type")).isEqualTo("flow.operator.read");
            assertThat(header(record, "ce_source")).isEqualTo(sandbox.baseUrl() + "/operators");
        }
        assertThat(operators.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();

        // Each cycle's outcome is a fact on the state topic (what the status verb reads): the first one published 3.
        JsonNode cycle = value(lastCycleFact(state, record -> value(record).path("published").asInt() == 3));
        assertThat(cycle.path("collection").asText()).isEqualTo("operators");
        assertThat(cycle.path("result").asText()).isEqualTo("ok");
        assertThat(cycle.path("summary").asText()).startsWith("operators cycle: 3 operators read from FLOW, 3 changes published to ");
        assertThat(cycle.path("instance").asText()).isNotBlank();
        assertThat(cycle.has("reason")).isTrue();
        assertThat(cycle.path("reason").isNull()).isTrue();
    }

    @Test
    void a_changed_list_gives_an_update_a_creation_and_a_deletion_with_its_tombstone() {
        TopicProbe operators = probe("kafka.topic.operators");
        startBridge(FAST);
        operators.awaitCount(3, WAIT);

        answerOperators(OPERATORS);

        List<ConsumerRecord<String, String>> changes = operators.awaitCount(7, WAIT).subList(3, 7);
        assertThat(changes).extracting(RegistrantsChangeCaptureIT::describe)
            .containsExactlyInAnyOrder("102 u", "104 c", "103 d", "103 tombstone");
        ConsumerRecord<String, String> update = changes.stream().filter(r -> r.key().equals("102")).findFirst().orElseThrow();
        assertThat(value(update).path("before").path("permission").asInt()).isEqualTo(5);
        assertThat(value(update).path("after").path("permission").asInt()).isEqualTo(10);
        assertThat(header(update, "ce_type")).isEqualTo("flow.operator.updated");
        assertThat(operators.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void an_empty_operator_list_deletes_nothing() {
        TopicProbe operators = probe("kafka.topic.operators");
        TopicProbe state = track(TopicProbe.outsideTheContracts(com.flowbridge.testing.TestKafka.bootstrapServers(), topics.get("kafka.topic.state")));
        startBridge(FAST);
        operators.awaitCount(3, WAIT);

        answerOperators("[]");

        assertThat(operators.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
        assertThat(flow().requestCount("GET", "/operators")).isGreaterThanOrEqualTo(3);
        // The refused answer makes the cycle a failed one, with the reason, on the state topic.
        JsonNode failed = value(lastCycleFact(state, record -> value(record).path("result").asText().equals("failed")));
        assertThat(failed.path("reason").asText()).contains("no operator");
        assertThat(failed.path("published").asInt()).isZero();
    }

    private static ConsumerRecord<String, String> lastCycleFact(TopicProbe state,
                                                                java.util.function.Predicate<ConsumerRecord<String, String>> wanted) {
        List<ConsumerRecord<String, String>> facts = state.await(records -> records.stream()
            .anyMatch(record -> "cycle:operators".equals(record.key()) && wanted.test(record)), WAIT, "a cycle:operators fact");
        return facts.stream().filter(record -> "cycle:operators".equals(record.key()) && wanted.test(record)).reduce((a, b) -> b)
            .orElseThrow();
    }

    @Test
    void a_restart_publishes_nothing_twice_and_catches_up() {
        TopicProbe operators = probe("kafka.topic.operators");
        TestBridge first = startBridge(FAST);
        operators.awaitCount(3, WAIT);
        first.close();

        answerOperators(OPERATORS);
        startBridge(FAST);

        assertThat(operators.awaitCount(7, WAIT).subList(3, 7)).extracting(RegistrantsChangeCaptureIT::describe)
            .containsExactlyInAnyOrder("102 u", "104 c", "103 d", "103 tombstone");
        assertThat(operators.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
    }

    /** Makes FLOW's operator list answer {@code list} until the faults are cleared. */
    private void answerOperators(String list) {
        ArrayNode parsed = (ArrayNode) json("{\"list\":" + list + "}").get("list");
        flow().addFault(FaultRule.fromJson(JSON.createObjectNode().put("method", "GET").put("path", "/operators")
            .put("status", 200).put("body", parsed.toString())));
    }
}
