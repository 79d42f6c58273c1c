package com.flowbridge.command;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TestProducer;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static com.flowbridge.testing.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

/** The shipped registration route against the FLOW sandbox over HTTP and a real Kafka broker. */
class RegistrationCommandsIT extends SandboxTest {

    @Test
    void a_registration_command_registers_the_person_once_and_says_so_with_the_login_link() {
        TopicProbe results = probe("kafka.topic.registration-results");
        startBridge();
        send("live-townhall:ada@example.com",
            "{\"commandId\":\"cmd-ada\",\"email\":\"Ada@Example.com \",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"eventSessionToken\":\"live-townhall\"}");

        ConsumerRecord<String, String> result = results.awaitCount(1, WAIT).get(0);
        JsonNode outcome = value(result);
        assertThat(result.key()).isEqualTo("live-townhall");
        assertThat(outcome.path("commandId").asText()).isEqualTo("cmd-ada");
        assertThat(outcome.path("status").asText()).isEqualTo("registered");
        assertThat(outcome.path("email").asText()).isEqualTo("Ada@Example.com");
        assertThat(outcome.path("httpStatus").asInt()).isEqualTo(200);
        assertThat(outcome.path("attempts").asInt()).isEqualTo(1);
        assertThat(outcome.path("loginUrl").asText()).startsWith("http://").contains("/login/");
        assertThat(outcome.path("flowResponse").toString()).contains("Ada@Example.com");
        assertThat(header(result, "command-id")).isEqualTo("cmd-ada");
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of("cmd-ada", 1L));
        assertThat(flow().registrants("live-townhall")).anyMatch(r -> r.path("email").asText().equalsIgnoreCase("ada@example.com"));
    }

    private void send(String key, String value) {
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            producer.send(topics.get("kafka.topic.registration-commands"), key, value);
        }
    }
}
