package com.flowbridge.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's quick start, for real: the packaged jar, run as its own process the way a newcomer runs it,
 * reading routes/ and config/ from its working directory at run time.
 */
class QuickStartIT {

    private static final Path JAR = Path.of("target", "flow-bridge.jar").toAbsolutePath();

    @TempDir
    Path workDir;
    private Process process;
    private final List<String> console = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void without_settings_it_refuses_to_start_naming_what_is_missing_and_the_sandbox() throws Exception {
        copyShippedFiles();
        start(Map.of());

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        String output = String.join("\n", console);
        assertThat(output).contains("FLOW_API_SECRET (or FLOW_API_SECRET_FILE) is not set", "KAFKA_BOOTSTRAP_SERVERS is not set", "--sandbox");
        assertThat(output).doesNotContain("Exception");
    }

    @Test
    void the_sandbox_runs_everything_and_edited_routes_and_settings_apply_without_rebuilding() throws Exception {
        copyShippedFiles();
        // An operator's edits: a different topic name in config/, a log step added to a route in routes/.
        Path config = workDir.resolve("config/application.properties");
        Files.writeString(config, Files.readString(config).replace("kafka.topic.events = flow.events", "kafka.topic.events = edited.events"));
        Path route = workDir.resolve("routes/flow-sessions-to-kafka.camel.yaml");
        String publishStep = "        - to:\n            id: publish-session-changes";
        assertThat(Files.readString(route)).contains(publishStep);
        Files.writeString(route, Files.readString(route).replace(publishStep,
            "        - log:\n            message: \"EDITED ROUTE publishing ${body.size()} records\"\n" + publishStep));

        int kafkaPort = freePort();
        int managementPort = freePort();
        start(Map.of("SANDBOX_KAFKA_PORT", String.valueOf(kafkaPort), "SANDBOX_FLOW_PORT", String.valueOf(freePort()),
            "SANDBOX_DATA_DIR", workDir.resolve("data").toString(), "MANAGEMENT_PORT", String.valueOf(managementPort),
            "WEBHOOK_PORT", String.valueOf(freePort())), "--sandbox");

        await().atMost(Duration.ofSeconds(90)).until(() -> console.stream().anyMatch(line ->
            line.contains("sessions cycle: 5 sessions read from FLOW, 5 changes published to edited.events")));
        assertThat(console).anyMatch(line -> line.contains("EDITED ROUTE publishing 5 records"));
        assertThat(console).anyMatch(line -> line.contains("FLOW sandbox : http://127.0.0.1:"));

        try (TopicProbe events = new TopicProbe("127.0.0.1:" + kafkaPort, "edited.events")) {
            List<ConsumerRecord<String, String>> records = events.awaitCount(5, Duration.ofSeconds(30));
            assertThat(records).extracting(ConsumerRecord::key).contains("live-townhall", "past-onboarding");
        }
        HttpResponse<String> health = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    private void start(Map<String, String> environment, String... arguments) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(javaExecutable(), "-jar", JAR.toString()), Stream.of(arguments)).toList())
            .directory(workDir.toFile())
            .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("FLOW_") || name.startsWith("KAFKA_"));
        builder.environment().putAll(environment);
        process = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    console.add(line);
                    System.out.println("[flow-bridge] " + line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    private void copyShippedFiles() throws IOException {
        for (String folder : List.of("config", "routes")) {
            Files.createDirectories(workDir.resolve(folder));
            try (Stream<Path> files = Files.list(Path.of(folder))) {
                for (Path file : files.toList()) {
                    Files.copy(file, workDir.resolve(folder).resolve(file.getFileName()));
                }
            }
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
