package com.flowbridge.operations;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.flowbridge.sandbox.FaultRule;
import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestBridge;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TopicProbe;
import com.flowbridge.testing.HttpContract;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators rely on, with the packaged jar as separate processes against the FLOW sandbox and a real broker:
 * live route editing, building a flow from a kamelet, and secrets that stay secret. (Several instances: OneWriterIT.)
 */
class OperationsIT extends SandboxTest {

    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path workDir;

    @Test
    void a_saved_route_file_reloads_its_routes_and_a_broken_one_is_refused_while_the_running_routes_carry_on() throws Exception {
        TopicProbe events = probe("kafka.topic.events");
        Map<String, String> environment = environment("editor", Files.createDirectories(workDir.resolve("locks")));
        environment.put("ROUTES_RELOAD", "true");
        BridgeProcess bridge = track(BridgeProcess.start("flow-bridge", workDir.resolve("bridge"), environment));
        bridge.awaitLine("Live route editing is on", START);
        events.awaitCount(5, Duration.ofSeconds(30));

        Path route = workDir.resolve("bridge/routes/flow-sessions-to-kafka.camel.yaml");
        String publishStep = "              - policy:\n                  id: publish-session-changes";
        assertThat(Files.readString(route)).contains(publishStep);
        save(route, Files.readString(route).replace(publishStep,
            "              - log:\n                  message: \"LIVE EDIT publishing ${body.size()} records\"\n" + publishStep));
        bridge.awaitLine("Route file routes/flow-sessions-to-kafka.camel.yaml reloaded", Duration.ofSeconds(30));
        flow().patchSession("live-townhall", json("{\"title\":\"After the edit\"}"));
        bridge.awaitLine("LIVE EDIT publishing 1 records", Duration.ofSeconds(30));
        assertThat(bridge.consoleText()).as("only the edited file's routes are reloaded").doesNotContain("Stopped flow-api ");

        save(route, Files.readString(route) + "  - route: [broken\n");
        String refusal = bridge.awaitLine(line -> line.contains("refused"), Duration.ofSeconds(30), "a refusal");
        assertThat(refusal).contains("routes/flow-sessions-to-kafka.camel.yaml", "line ", "the routes that were running keep running");

        flow().patchSession("live-townhall", json("{\"title\":\"Still running\"}"));
        ConsumerRecord<String, String> update = events.awaitCount(7, Duration.ofSeconds(30)).get(6);
        assertThat(value(update).path("after").path("title").asText()).isEqualTo("Still running");
    }

    @Test
    void an_operator_adds_a_flow_in_a_few_lines_of_yaml_with_the_flow_kamelet() throws Exception {
        String adminsTopic = topics.get("kafka.topic.events") + ".admins";
        TopicProbe admins = track(TopicProbe.outsideTheContracts(TestKafka.bootstrapServers(), adminsTopic));
        Map<String, String> environment = environment("operator", Files.createDirectories(workDir.resolve("locks")));
        environment.put("ROUTES_RELOAD", "true");
        BridgeProcess bridge = track(BridgeProcess.start("flow-bridge", workDir.resolve("bridge"), environment));
        bridge.awaitLine("Live route editing is on", START);

        // The README's example: FLOW's administrators (permission 10) to a topic of their own.
        save(workDir.resolve("bridge/routes/flow-admins-to-kafka.camel.yaml"), """
            - route:
                id: flow-admins-to-kafka
                from:
                  uri: kamelet:flow-api-source
                  parameters:
                    path: /operators
                    period: 2s
                  steps:
                    - filter:
                        jsonpath: "$[?(@.permission == 10)]"
                        steps:
                          - to:
                              uri: kafka:%s
            """.formatted(adminsTopic));

        bridge.awaitLine("Route file routes/flow-admins-to-kafka.camel.yaml reloaded", Duration.ofSeconds(30));
        ConsumerRecord<String, String> admin = admins.awaitCount(1, Duration.ofSeconds(30)).get(0);
        assertThat(value(admin).path("id").asInt()).isEqualTo(101);
        assertThat(value(admin).path("permission").asInt()).isEqualTo(10);
        assertThat(admins.newRecordsWithin(Duration.ofSeconds(3)))
            .allSatisfy(record -> assertThat(value(record).path("permission").asInt()).isEqualTo(10));
        assertThat(TopicProbe.headers(admin)).as("no FLOW or Camel header rides along")
            .isEqualTo(Map.of("content-type", "application/json"));
    }

    @Test
    void secrets_appear_nowhere_but_in_requests_to_flow() throws Exception {
        Map<String, String> secrets = Map.of(
            "FLOW_API_SECRET", TestBridge.FLOW_SECRET,
            "WEBHOOK_SECRET", "fake-webhook-secret",
            "WEBHOOK_TOKEN", "fake-webhook-token",
            "WEBHOOK_STANDARD_SECRET", "whsec_ZmFrZS1zdGFuZGFyZC13ZWJob29rcy1zZWNyZXQ=",
            "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"fake-kafka-pass\";");
        Map<String, String> environment = environment("secretive", Files.createDirectories(workDir.resolve("locks")));
        environment.putAll(secrets);
        int management = Integer.parseInt(environment.get("MANAGEMENT_PORT"));
        int webhook = Integer.parseInt(environment.get("WEBHOOK_PORT"));
        TopicProbe events = probe("kafka.topic.events");
        BridgeProcess bridge = track(BridgeProcess.start("flow-bridge", workDir.resolve("bridge"), environment));
        events.awaitCount(5, START);

        // Failures put exception messages in the logs: FLOW refusing, FLOW answering garbage.
        flow().addFault(FaultRule.fromJson(json("{\"path\":\"/events/sessions\",\"status\":401,\"body\":\"{\\\"message\\\":\\\"Invalid api-secret\\\"}\",\"times\":3}")));
        bridge.awaitLine("Invalid api-secret", Duration.ofSeconds(30));
        flow().clearFaults();
        HttpClient http = HttpClient.newHttpClient();
        String metrics = get(http, "http://127.0.0.1:" + management + "/observe/metrics");
        String health = get(http, "http://127.0.0.1:" + management + "/observe/health");
        HttpResponse<String> webhookAnswer = HttpContract.send(http, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webhook + "/webhooks/registrations"))
            .header("Content-Type", "application/json").header("Authorization", "Bearer wrong")
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(webhookAnswer.statusCode()).isEqualTo(401);
        bridge.close();

        String everything = bridge.consoleText() + metrics + health + webhookAnswer.body() + webhookAnswer.headers();
        assertThat(metrics).contains("flowbridge_flow_calls_total");
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            String value = secret.getKey().equals("KAFKA_SASL_JAAS_CONFIG") ? "fake-kafka-pass"
                : secret.getValue().replace("whsec_", ""); // the key itself, with or without its prefix
            assertThat(everything).as(secret.getKey() + " must not appear in logs, metrics, health or answers").doesNotContain(value);
        }
        assertThat(flow().requests()).as("FLOW received the api-secret with every request").allMatch(r -> r.apiSecretValid());
    }

    private Map<String, String> environment(String instance, Path lockDir) {
        return BridgeProcess.environment(sandbox, topics, instance, lockDir);
    }

    /** Saves the way editors do: write aside, then replace in one move, so the watcher never sees half a file. */
    private static void save(Path file, String content) throws Exception {
        Path aside = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(aside, content);
        Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String get(HttpClient http, String url) throws Exception {
        return HttpContract.send(http, HttpRequest.newBuilder(URI.create(url)).build()).body();
    }
}
