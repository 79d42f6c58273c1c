package com.flowbridge.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, as .ci/run installs it) started by a test on a free
 * port, with its own storage under {@code target/}, scraping one flow-bridge management port and evaluating a rules
 * file. Its HTTP API is what the test reads: targets, alerts, queries.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final String INSTALL_HINT = "install Debian's prometheus package (apt-get update && apt-get install -y "
        + "prometheus), as .ci/run does";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final String url;
    private final Path log;

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.url = "http://127.0.0.1:" + port;
        this.log = log;
    }

    /** The path of {@code name} (prometheus, promtool) on the PATH; fails, saying how to install it, when it is not there. */
    public static Path binary(String name) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not on the PATH: " + INSTALL_HINT);
    }

    /** Runs promtool with {@code arguments}; its exit code and everything it printed. */
    public static Run promtool(String... arguments) {
        List<String> command = new ArrayList<>(List.of(binary("promtool").toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool " + String.join(" ", arguments) + " did not finish within 60 s");
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Run(int exitCode, String output) {
    }

    /**
     * Starts Prometheus in {@code workDir} (its config, storage and log go there), scraping {@code target}
     * ({@code host:port}) at {@code /observe/metrics} every second and evaluating {@code rules} every second.
     */
    public static PrometheusServer start(Path workDir, String target, Path rules) {
        Path binary = binary("prometheus");
        int port = BridgeProcess.freePort();
        try {
            Files.createDirectories(workDir);
            Path config = workDir.resolve("prometheus.yml");
            Files.writeString(config, """
                global:
                  # A scrape of a freshly started jar on a loaded machine can take longer than a second: a failed
                  # scrape would make every series absent for a while, and absent() alerts fire.
                  scrape_interval: 2s
                  scrape_timeout: 2s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: flow-bridge
                    metrics_path: /observe/metrics
                    static_configs:
                      - targets: ["%s"]
                """.formatted(rules.toAbsolutePath(), target));
            Path log = workDir.resolve("prometheus.log");
            Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PrometheusServer server = new PrometheusServer(process, port, log);
            server.awaitReady(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** /api/v1/alerts: every alert, pending or firing, with its labels and state. */
    public JsonNode alerts() {
        return api("/api/v1/alerts").path("data").path("alerts");
    }

    /** The state of alert {@code name} (pending, firing), or "inactive" when Prometheus has no such alert active. */
    public String alertState(String name) {
        for (JsonNode alert : alerts()) {
            if (alert.path("labels").path("alertname").asText().equals(name)) {
                return alert.path("state").asText();
            }
        }
        return "inactive";
    }

    /** /api/v1/query: the result of an instant query, as Prometheus answers it (status, data, error). */
    public JsonNode query(String expression) {
        return api("/api/v1/query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8));
    }

    /** Every metric name in Prometheus's storage (/api/v1/label/__name__/values): what it scraped. */
    public Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        api("/api/v1/label/__name__/values").path("data").forEach(name -> names.add(name.asText()));
        return names;
    }

    /** The server's version (/api/v1/status/buildinfo). */
    public String buildVersion() {
        return api("/api/v1/status/buildinfo").path("data").path("version").asText();
    }

    /** /api/v1/rules: the rule groups Prometheus loaded, with each rule's health. */
    public JsonNode rules() {
        return api("/api/v1/rules").path("data").path("groups");
    }

    /** Whether Prometheus's latest scrape of every target succeeded. */
    public boolean targetsUp() {
        JsonNode targets = api("/api/v1/targets").path("data").path("activeTargets");
        if (targets.isEmpty()) {
            return false;
        }
        for (JsonNode target : targets) {
            if (!target.path("health").asText().equals("up")) {
                return false;
            }
        }
        return true;
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Prometheus exited (" + process.exitValue() + "):\n" + log());
            }
            try {
                HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            ChildProcesses.sleep(200);
        }
        throw new AssertionError("Prometheus was not ready within " + timeout + ":\n" + log());
    }

    private JsonNode api(String path) {
        return ChildProcesses.unchecked(() -> JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body()));
    }

    /** Stops the server this test started (SIGTERM, then kill -9 after 20 s). */
    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process, Duration.ofSeconds(20));
    }
}
