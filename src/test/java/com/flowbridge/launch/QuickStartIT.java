package com.flowbridge.launch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.PackagedJarTest;
import com.flowbridge.testing.TopicProbe;
import com.flowbridge.testing.HttpContract;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static com.flowbridge.testing.BridgeProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quick start, for real: the packaged jar, run as its own process the way a newcomer runs it,
 * reading routes/ and config/ from its working directory at run time.
 */
class QuickStartIT extends PackagedJarTest {

    @Test
    void without_settings_it_refuses_to_start_naming_what_is_missing_and_the_sandbox() throws Exception {
        bridge = BridgeProcess.start("flow-bridge", workDir, Map.of());

        assertThat(bridge.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(bridge.consoleText())
            .contains("FLOW_API_SECRET (or FLOW_API_SECRET_FILE) is not set", "KAFKA_BOOTSTRAP_SERVERS is not set", "--sandbox")
            .doesNotContain("Exception");
    }

    @Test
    void the_sandbox_runs_everything_and_edited_routes_and_settings_apply_without_rebuilding() throws Exception {
        // An operator's edits before start: a different topic name in config/, a log step added to a route in routes/.
        BridgeProcess.start("copy-only", workDir, Map.of(), "--help").awaitExit(Duration.ofSeconds(30));
        Path config = workDir.resolve("config/application.properties");
        Files.writeString(config, Files.readString(config).replace("kafka.topic.events = flow.events", "kafka.topic.events = edited.events"));
        Path route = workDir.resolve("routes/flow-sessions-to-kafka.camel.yaml");
        String publishStep = "              - policy:\n                  id: publish-session-changes";
        assertThat(Files.readString(route)).contains(publishStep);
        Files.writeString(route, Files.readString(route).replace(publishStep,
            "              - log:\n                  message: \"EDITED ROUTE publishing ${body.size()} records\"\n" + publishStep));

        int kafkaPort = freePort();
        int managementPort = freePort();
        bridge = BridgeProcess.start("flow-bridge", workDir, Map.of("SANDBOX_KAFKA_PORT", String.valueOf(kafkaPort),
            "SANDBOX_FLOW_PORT", String.valueOf(freePort()), "SANDBOX_DATA_DIR", workDir.resolve("data").toString(),
            "MANAGEMENT_PORT", String.valueOf(managementPort), "WEBHOOK_PORT", String.valueOf(freePort())), "--sandbox");

        bridge.awaitLine("sessions cycle: 5 sessions read from FLOW, 5 changes published to edited.events", Duration.ofSeconds(90));
        assertThat(bridge.console()).anyMatch(line -> line.contains("EDITED ROUTE publishing 5 records"));
        assertThat(bridge.console()).anyMatch(line -> line.contains("FLOW sandbox : http://127.0.0.1:"));

        try (TopicProbe events = new TopicProbe("127.0.0.1:" + kafkaPort, "edited.events", "flow.events")) {
            List<ConsumerRecord<String, String>> records = events.awaitCount(5, Duration.ofSeconds(30));
            assertThat(records).extracting(ConsumerRecord::key).contains("live-townhall", "past-onboarding");
        }
        HttpResponse<String> health = HttpContract.send(HttpClient.newHttpClient(),
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health")).build());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"flow-api\"", "\"kafka-cluster\"");
    }
}
