package com.flowbridge.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.sandbox.FlowSandbox;

/**
 * The packaged jar ({@code target/flow-bridge.jar}) run as its own process, the way operators run it: from a
 * working directory holding its own copy of routes/ and config/, configured by environment variables. Every line
 * it prints is kept, so tests can assert on the console.
 */
public final class BridgeProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "flow-bridge.jar").toAbsolutePath();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;
    private final String managementUrl;
    private final Thread reader;
    private final List<String> console = new CopyOnWriteArrayList<>();

    private BridgeProcess(String name, Process process, String managementPort) {
        this.name = name;
        this.process = process;
        this.managementUrl = "http://127.0.0.1:" + managementPort + "/observe/";
        reader = new Thread(this::readConsole, name + "-console");
        reader.setDaemon(true);
        reader.start();
    }

    /** Copies the shipped routes/ and config/ into {@code workDir} (once), then starts the jar there. */
    public static BridgeProcess start(String name, Path workDir, Map<String, String> environment, String... arguments) {
        return start(name, workDir, environment, List.of("-Xmx512m"), arguments);
    }

    /** As {@link #start(String, Path, Map, String...)}, with these JVM options (heap size, GC log) instead of -Xmx512m. */
    public static BridgeProcess start(String name, Path workDir, Map<String, String> environment, List<String> jvmOptions,
                                      String... arguments) {
        try {
            copyShippedFiles(workDir);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", JAR.toString()));
            command.addAll(List.of(arguments));
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
            builder.environment().keySet().removeIf(variable -> variable.startsWith("FLOW_") || variable.startsWith("KAFKA_")
                || variable.startsWith("WEBHOOK_") || variable.startsWith("SANDBOX_") || variable.equals("ROUTES_RELOAD"));
            builder.environment().putAll(environment);
            return new BridgeProcess(name, builder.start(), environment.getOrDefault("MANAGEMENT_PORT", "9876"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The environment of a flow-bridge process working against the test sandbox and broker, with this test's topics,
     * fast test timings, its own ports, and the poller lock in {@code lockDir} (shared by instances that compete for it).
     */
    public static Map<String, String> environment(FlowSandbox flow, TestBridge.Topics topics, String instance, Path lockDir) {
        Map<String, String> environment = new LinkedHashMap<>(topics.environment());
        environment.put("FLOW_BASE_URL", flow.baseUrl());
        environment.put("FLOW_API_SECRET", TestBridge.FLOW_SECRET);
        environment.put("KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers());
        environment.put("FLOW_POLL_INTERVAL", "1s");
        environment.put("FLOW_POLL_INITIAL_DELAY", "0");
        environment.put("FLOW_API_RATE_LIMIT", "1000");
        environment.put("FLOW_API_RETRY_INITIAL_DELAY", "50ms");
        environment.put("FLOW_API_RETRY_MAX_DELAY", "400ms");
        environment.put("FLOW_POLLER_LOCK_DIR", lockDir.toString());
        environment.put("FLOW_POLLER_LOCK_INTERVAL", "1s");
        environment.put("FLOW_INSTANCE_ID", instance);
        environment.put("MANAGEMENT_PORT", String.valueOf(freePort()));
        environment.put("WEBHOOK_PORT", String.valueOf(freePort()));
        environment.put("COMMANDS_GROUP_ID", topics.get("kafka.topic.command-ledger") + ".consumers");
        environment.put("SIGNALS_GROUP_ID", topics.get("kafka.topic.signals") + ".group");
        environment.put("FLOW_POLLER_GROUP", topics.get("kafka.topic.poller") + ".group");
        environment.put("FLOW_POLLER_TRANSACTIONAL_ID", topics.get("kafka.topic.poller") + ".writer");
        // The broker's smallest session timeout: a killed or frozen poller is replaced about 6 s later.
        environment.put("FLOW_POLLER_SESSION_TIMEOUT", "6s");
        environment.put("COMMANDS_TRANSACTIONAL_ID", topics.get("kafka.topic.command-ledger") + ".writer");
        // A killed member's partitions go to the restarted one after this long, not Kafka's default 45 s.
        environment.put("COMMANDS_SESSION_TIMEOUT_MS", "8000");
        return environment;
    }

    public List<String> console() {
        return List.copyOf(console);
    }

    public String consoleText() {
        return String.join("\n", console);
    }

    /** Waits for a console line matching {@code condition}. */
    public String awaitLine(Predicate<String> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : console) {
                if (condition.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive() && console.stream().noneMatch(condition)) {
                throw new AssertionError(name + " exited (" + process.exitValue() + ") before printing " + what);
            }
            ChildProcesses.sleep(100);
        }
        throw new AssertionError(name + " did not print " + what + " within " + timeout + "; last lines:\n"
            + String.join("\n", console.subList(Math.max(0, console.size() - 30), console.size())));
    }

    public String awaitLine(String fragment, Duration timeout) {
        return awaitLine(line -> line.contains(fragment), timeout, "'" + fragment + "'");
    }

    /** {@code /observe/metrics}, as Prometheus would scrape it (the answer checked against contracts/openapi.yaml). */
    public PrometheusText metrics() {
        return new PrometheusText(observe("metrics").body());
    }

    /** {@code /observe/health}: 200 when ready, 503 when a check is DOWN; the body names the checks (checked as above). */
    public HttpResponse<String> health() {
        return observe("health");
    }

    /** What the readiness check {@code check} (e.g. kafka-cluster) reports: UP, DOWN, or "absent". */
    public String checkStatus(String check) {
        try {
            for (JsonNode result : JSON.readTree(health().body()).path("checks")) {
                if (result.path("name").asText().equals(check)) {
                    return result.path("status").asText();
                }
            }
            return "absent";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end, not for the last of its output to be read (see {@link #awaitExit}). */
    public int awaitProcessExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout);
        }
        return process.exitValue();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout);
        }
        reader.join(10_000); // the process may end before its last lines are read
        return process.exitValue();
    }

    /** kill -9: no shutdown hook, no goodbye. */
    public void kill() throws InterruptedException {
        ChildProcesses.kill(process);
    }

    /** SIGSTOP: the process is frozen as by a long GC pause or a stopped VM, threads, heartbeats and all. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: the frozen process carries on from where it was, unaware of the time that passed. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /**
     * SIGTERM, as an orchestrator (or Ctrl-C) sends it, without waiting for the process to end. Sent with kill, not
     * {@link Process#destroy()}, which also closes the pipes and so loses everything the process says while it stops.
     */
    public void terminate() throws IOException, InterruptedException {
        signal("TERM");
    }

    /** A polite stop (SIGTERM), as an orchestrator would. */
    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process, Duration.ofSeconds(45));
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyShippedFiles(Path workDir) throws IOException {
        for (String folder : List.of("config", "routes", "kamelets")) {
            Path target = workDir.resolve(folder);
            if (Files.exists(target)) {
                continue;
            }
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(Path.of(folder))) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
        }
    }

    private void readConsole() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                console.add(line);
                System.out.println("[" + name + "] " + line);
            }
        } catch (IOException ended) {
            // the process ended
        }
    }

    private HttpResponse<String> observe(String path) {
        return ChildProcesses.unchecked(() ->
            HttpContract.send(HTTP, HttpRequest.newBuilder(URI.create(managementUrl + path)).timeout(Duration.ofSeconds(20)).build()));
    }
}
