package com.flowbridge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestBridge;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TestProducer;
import com.flowbridge.testing.TopicProbe;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Route;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration classes declare their beans for Camel to make when first looked up, so the order
 * {@link FlowBridge#CONFIGURATIONS} lists them in does not matter: listed backwards (each flow's beans before the shared
 * ones they are made of), flow-bridge still starts, captures and carries out commands.
 */
class DeclarativeWiringIT extends SandboxTest {

    @Test
    void flow_bridge_starts_and_works_with_its_configuration_classes_in_reverse_order() {
        List<Class<? extends CamelConfiguration>> reversed = new ArrayList<>(FlowBridge.CONFIGURATIONS);
        Collections.reverse(reversed);
        assertThat(reversed.get(0)).isNotEqualTo(FlowBridgeBeans.class);
        TopicProbe events = probe("kafka.topic.events");
        TopicProbe results = probe("kafka.topic.registration-results");

        TestBridge bridge = track(TestBridge.start(sandbox, topics, Map.of(), reversed));

        assertThat(bridge.context().getRoutes()).extracting(Route::getRouteId).contains("flow-sessions-to-kafka",
            "flow-registrants-to-kafka", "flow-operators-to-kafka", "flow-reports-to-kafka", "registration-to-flow");
        // Change capture: every session of the sandbox published once.
        assertThat(events.awaitCount(5, WAIT)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
            "future-roadmap-1", "future-roadmap-2", "live-townhall", "past-onboarding", "past-security");
        // Commands: a registration carried out in FLOW and its outcome published.
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            producer.send(topics.get("kafka.topic.registration-commands"), "live-townhall:ada@example.com",
                "{\"commandId\":\"cmd-ada\",\"email\":\"ada@example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\","
                    + "\"eventSessionToken\":\"live-townhall\"}");
        }
        ConsumerRecord<String, String> outcome = results.awaitCount(1, WAIT).get(0);
        assertThat(value(outcome).path("commandId").asText()).isEqualTo("cmd-ada");
        assertThat(value(outcome).path("status").asText()).isEqualTo("registered");
    }
}
