package com.flowbridge.command;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.sandbox.FaultRule;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TestProducer;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import static com.flowbridge.command.RegistrationCommandsIT.outcomeOf;
import static com.flowbridge.testing.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

/** The shipped event-creation routes against the FLOW sandbox over HTTP and a real Kafka broker. */
class EventCommandsIT extends SandboxTest {

    static final String EVENT = "{\"commandId\":\"evt-1\",\"creatorID\":101,\"title\":\"Quarterly roadmap\","
        + "\"description\":\"What comes next\",\"date\":\"2027-03-04\",\"time\":\"15:30:00\",\"timezone\":\"Europe/Paris\","
        + "\"published\":true,\"duration\":1.5,\"operators\":[{\"id\":101,\"role\":10,\"micEnabled\":true,\"camEnabled\":true,"
        + "\"screenSharingEnabled\":false}]}";

    @Test
    void a_valid_event_command_creates_the_session_and_names_its_token() {
        TopicProbe results = probe("kafka.topic.event-results");
        startBridge();
        send(EVENT);

        ConsumerRecord<String, String> result = results.awaitCount(1, WAIT).get(0);
        JsonNode outcome = value(result);
        assertThat(result.key()).isEqualTo("evt-1");
        assertThat(outcome.path("status").asText()).isEqualTo("created");
        assertThat(outcome.path("title").asText()).isEqualTo("Quarterly roadmap");
        assertThat(outcome.path("httpStatus").asInt()).isEqualTo(200);
        String token = outcome.path("sessionToken").asText();
        assertThat(flow().session(token)).hasValueSatisfying(session ->
            assertThat(session.path("title").asText()).isEqualTo("Quarterly roadmap"));
        assertThat(outcome.path("eventToken").asText()).isEqualTo(flow().session(token).orElseThrow().path("eventToken").asText());
        JsonNode sent = json(flow().requests("POST", "/events").get(0).body());
        assertThat(sent.has("commandId")).isFalse();
        assertThat(sent).isEqualTo(json(EVENT.replace("\"commandId\":\"evt-1\",", "")));
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of("evt-1", 1L));
    }

    @Test
    void an_invalid_event_command_is_rejected_naming_each_field_and_is_a_dead_letter() {
        TopicProbe results = probe("kafka.topic.event-results");
        TopicProbe deadLetters = probe("kafka.topic.event-dlq");
        startBridge();
        String invalid = EVENT.replace("2027-03-04", "2027-02-30").replace("15:30:00", "24:00:00")
            .replace("Europe/Paris", "Mars/Olympus").replace("\"role\":10", "\"role\":7").replace(",\"camEnabled\":true", "")
            .replace("\"creatorID\":101", "\"creatorID\":\"me\"");
        send(invalid);
        send(EVENT.replace("evt-1", "evt-2"));

        List<ConsumerRecord<String, String>> records = results.awaitCount(2, WAIT);
        JsonNode rejected = outcomeOf(records, "evt-1");
        assertThat(rejected.path("status").asText()).isEqualTo("rejected");
        assertThat(rejected.path("errors").findValuesAsText("field")).containsExactly(
            "creatorID", "date", "time", "timezone", "operators[0].role", "operators[0].camEnabled");
        assertThat(outcomeOf(records, "evt-2").path("status").asText()).isEqualTo("created");
        ConsumerRecord<String, String> deadLetter = deadLetters.awaitCount(1, WAIT).get(0);
        assertThat(deadLetter.value()).isEqualTo(invalid);
        assertThat(header(deadLetter, "dlq-reason")).contains("date must be a real date");
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of("evt-2", 1L));
    }

    @Test
    void flow_refusing_an_event_is_rejected_with_its_message_and_not_retried() {
        TopicProbe results = probe("kafka.topic.event-results");
        flow().addFault(FaultRule.fromJson(json(
            "{\"method\":\"POST\",\"path\":\"/events\",\"status\":400,\"body\":\"{\\\"message\\\":\\\"creatorID is not an operator\\\"}\"}")));
        startBridge();
        send(EVENT);

        JsonNode outcome = value(results.awaitCount(1, WAIT).get(0));
        assertThat(outcome.path("status").asText()).isEqualTo("rejected");
        assertThat(outcome.path("reason").asText()).isEqualTo("creatorID is not an operator");
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of("evt-1", 1L));
    }

    @Test
    void an_event_creation_interrupted_mid_call_is_failed_not_sent_again_and_the_same_command_later_is_a_duplicate() {
        TopicProbe results = probe("kafka.topic.event-results");
        TopicProbe deadLetters = probe("kafka.topic.event-dlq");
        // What an instance that crashed after sending to FLOW leaves behind: the command record, a pending marker on the
        // ledger partition of its command partition, and no outcome.
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            RecordMetadata command = producer.send(topics.get("kafka.topic.event-commands"), "evt-1", EVENT);
            producer.send(topics.get("kafka.topic.command-ledger"), command.partition(), "event:evt-1",
                "{\"state\":\"pending\",\"kind\":\"event\",\"commandId\":\"evt-1\",\"source\":\""
                    + command.topic() + "/" + command.partition() + "/" + command.offset() + "\"}");
        }
        startBridge();

        JsonNode outcome = value(results.awaitCount(1, WAIT).get(0));
        assertThat(outcome.path("status").asText()).isEqualTo("failed");
        assertThat(outcome.path("reason").asText()).contains("interrupted", "unknown");
        assertThat(deadLetters.awaitCount(1, WAIT).get(0).value()).isEqualTo(EVENT);
        send(EVENT);
        assertThat(value(results.awaitCount(2, WAIT).get(1)).path("status").asText()).isEqualTo("duplicate");
        assertThat(flow().requestCount("POST", "/events")).isZero();
        assertThat(results.newRecordsWithin(Duration.ofSeconds(1))).isEmpty();
    }

    private void send(String value) {
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            producer.send(topics.get("kafka.topic.event-commands"), json(value).path("commandId").asText(), value);
        }
    }
}
