package com.flowbridge.launch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.PackagedJarTest;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static com.flowbridge.testing.BridgeProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C (SIGTERM) on the sandbox with a 2,000-session cycle in flight, the packaged jar run as a newcomer runs it: it
 * stops within 5 s, quietly (the embedded broker stops after every Kafka client), and the abandoned cycle leaves nothing
 * that a read_committed consumer sees; the next start publishes each change once.
 */
class QuickStopIT extends PackagedJarTest {

    private static final int SESSIONS = 2000;
    private static final Pattern KAFKA_CONNECTION_TROUBLE = Pattern.compile("Connection to node|disconnected|Node -1");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void sigterm_mid_cycle_stops_within_5_s_quietly_and_the_next_start_publishes_each_change_once() throws Exception {
        Map<String, String> environment = Map.of("SANDBOX_KAFKA_PORT", String.valueOf(freePort()),
            "SANDBOX_FLOW_PORT", String.valueOf(freePort()), "SANDBOX_DATA_DIR", workDir.resolve("data").toString(),
            "SANDBOX_POLL_INTERVAL", "3s", "MANAGEMENT_PORT", String.valueOf(freePort()), "WEBHOOK_PORT", String.valueOf(freePort()));
        String flow = "http://127.0.0.1:" + environment.get("SANDBOX_FLOW_PORT");
        String kafka = "127.0.0.1:" + environment.get("SANDBOX_KAFKA_PORT");

        bridge = BridgeProcess.start("flow-bridge", workDir, environment, "--sandbox");
        bridge.awaitLine("sessions cycle: 5 sessions read from FLOW", Duration.ofSeconds(120));
        post(flow + "/sandbox/generate", "{\"sessions\": " + SESSIONS + ", \"registrantsPerSession\": 5}");
        // The next sessions cycle looks closer at 2,000 new sessions, one FLOW call each: stop it a few hundred calls in.
        awaitEventInfoCalls(flow, 200, Duration.ofSeconds(60));
        int linesBefore = bridge.console().size();

        long signalled = System.nanoTime();
        bridge.terminate();
        int exitCode = bridge.awaitProcessExit(Duration.ofSeconds(30));
        Duration stopped = Duration.ofNanos(System.nanoTime() - signalled);
        bridge.awaitExit(Duration.ofSeconds(10)); // and its last lines read
        System.out.println("QuickStopIT: SIGTERM to exit in " + stopped.toMillis() + " ms");

        List<String> stopLines = bridge.console().subList(linesBefore, bridge.console().size());
        System.out.println("QuickStopIT: " + stopLines.size() + " lines printed after SIGTERM");
        assertThat(stopped).as("from SIGTERM to exit").isLessThan(Duration.ofSeconds(5));
        assertThat(exitCode).as("the exit code of a JVM ended by SIGTERM").isEqualTo(143);
        assertThat(stopLines).as("the cycle in flight is said to be abandoned")
            .anyMatch(line -> line.contains("flow-sessions-to-kafka: cycle abandoned, its transaction in flight aborted"));
        assertThat(stopLines.stream().filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
            .filter(line -> KAFKA_CONNECTION_TROUBLE.matcher(line).find()))
            .as("no Kafka client lost its broker: the broker stopped last").isEmpty();
        assertThat(stopLines).as("the embedded broker stops after Camel's routes")
            .anyMatch(line -> line.contains("Embedded Kafka broker on " + kafka + " stopped"));

        // The next start: the same broker data; the FLOW sandbox starts from its sample data, so the same 2,000 are made again.
        bridge = BridgeProcess.start("flow-bridge-again", workDir, environment, "--sandbox");
        bridge.awaitLine("sessions cycle: 5 sessions read from FLOW", Duration.ofSeconds(120));
        try (TopicProbe events = new TopicProbe(kafka, "flow.events")) {
            events.newRecordsWithin(Duration.ofSeconds(3));
            assertThat(events.records()).as("nothing of the abandoned cycle is visible to a read_committed consumer")
                .noneMatch(record -> record.key().startsWith("gen-"));

            post(flow + "/sandbox/generate", "{\"sessions\": " + SESSIONS + ", \"registrantsPerSession\": 5}");
            List<ConsumerRecord<String, String>> generated = events.await(records -> records.stream()
                .filter(record -> record.key().startsWith("gen-")).count() >= SESSIONS, Duration.ofSeconds(120),
                    SESSIONS + " generated sessions")
                .stream().filter(record -> record.key().startsWith("gen-")).toList();
            events.newRecordsWithin(Duration.ofSeconds(8)); // two more cycles: nothing more may come
            Map<String, Long> perSession = events.records().stream().filter(record -> record.key().startsWith("gen-"))
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            assertThat(perSession).hasSize(SESSIONS);
            assertThat(perSession.values()).as("each generated session published once").allMatch(count -> count == 1);
            for (ConsumerRecord<String, String> record : generated) {
                assertThat(JSON.readTree(record.value()).path("op").asText()).as(record.key()).isEqualTo("c");
            }
        }
    }

    private void awaitEventInfoCalls(String flow, int atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> requests = HTTP.send(HttpRequest.newBuilder(
                URI.create(flow + "/sandbox/requests/count?path=/events/sessions/public/gen-")).build(),
                HttpResponse.BodyHandlers.ofString());
            if (JSON.readTree(requests.body()).path("count").asLong() >= atLeast) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the sessions cycle did not look closer at " + atLeast + " generated sessions within " + timeout);
    }

    private static void post(String url, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
    }
}
