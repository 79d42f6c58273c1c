package com.flowbridge.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.PrometheusText;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TopicProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook port's ingress limits, against the packaged jar: a rate per key and an in-flight limit answered 429 with
 * Retry-After; slow clients (headers, body), idle ones and connections beyond the most cut off after their documented
 * time, holding neither a request slot nor anything else once cut.
 */
class WebhookLimitsIT extends SandboxTest {

    private static final String TOKEN = "fake-limits-token-of-a-busy-crm";
    private static final String OTHER_TOKEN = "fake-limits-token-of-a-quiet-crm";
    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger emails = new AtomicInteger();

    @Test
    void a_key_over_its_rate_and_requests_over_the_in_flight_limit_are_answered_429_with_retry_after() throws Exception {
        TopicProbe commands = probe("kafka.topic.registration-commands");
        List<String> waiters = List.of("fake-limits-token-1", "fake-limits-token-2", "fake-limits-token-3");
        Map<String, String> environment = environment("rates");
        environment.put("WEBHOOK_TOKEN", String.join(",", TOKEN, OTHER_TOKEN, String.join(",", waiters)));
        environment.put("WEBHOOK_RATE_LIMIT", "2");
        environment.put("WEBHOOK_MAX_IN_FLIGHT", "3");
        environment.put("WEBHOOK_WAIT_TIMEOUT", "30s");
        BridgeProcess bridge = start("rates", environment);
        int port = Integer.parseInt(environment.get("WEBHOOK_PORT"));

        // The busy CRM sends 15 as fast as it can: 2 a second go through, the rest are told when to come back.
        List<HttpResponse<String>> burst = new ArrayList<>();
        long burstStarted = System.nanoTime();
        for (int i = 0; i < 15; i++) {
            burst.add(post(port, "/webhooks/registrations", TOKEN));
        }
        double burstSeconds = (System.nanoTime() - burstStarted) / 1e9;
        HttpResponse<String> quiet = post(port, "/webhooks/registrations", OTHER_TOKEN);
        List<HttpResponse<String>> refused = burst.stream().filter(answer -> answer.statusCode() == 429).toList();
        long accepted = burst.stream().filter(answer -> answer.statusCode() == 202).count();
        assertThat(accepted + refused.size()).isEqualTo(15);
        assertThat(accepted).as("2 a second, over the %.1f s the burst took", burstSeconds)
            .isBetween(2L, 2 * ((long) Math.ceil(burstSeconds) + 1));
        assertThat(refused).isNotEmpty().allSatisfy(answer -> {
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(json(answer.body()).path("errors").get(0).path("message").asText()).contains("at most 2 requests a second");
        });
        assertThat(quiet.statusCode()).as("another key is not held up").isEqualTo(202);
        Thread.sleep(1000);
        assertThat(post(port, "/webhooks/registrations", TOKEN).statusCode()).as("after Retry-After").isEqualTo(202);
        assertThat(commands.awaitCount((int) accepted + 2, WAIT)).hasSize((int) accepted + 2);
        assertThat(commands.newRecordsWithin(Duration.ofSeconds(1))).as("nothing refused went to Kafka").isEmpty();

        // Three requests waiting for a slow FLOW (?wait=true) fill the in-flight limit: a fourth is 429 at once.
        flow().setLatency("POST", "/registrants", 8000);
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (String waiter : waiters) {
            waiting.add(CompletableFuture.supplyAsync(() -> post(port, "/webhooks/registrations?wait=true", waiter)));
        }
        awaitGauge(bridge, "flowbridge_webhook_in_flight", 3);
        Thread.sleep(1000); // a new second's permits for the key
        long started = System.nanoTime();
        HttpResponse<String> over = post(port, "/webhooks/registrations", TOKEN);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(waiting).as("the three still waiting when the fourth was answered").noneMatch(CompletableFuture::isDone);
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(over.body()).path("errors").get(0).path("message").asText()).contains("3 requests, its most at once");
        for (CompletableFuture<HttpResponse<String>> wait : waiting) {
            assertThat(wait.get().statusCode()).isEqualTo(200);
        }
        flow().setLatency("POST", "/registrants", 0);
        assertThat(post(port, "/webhooks/registrations", TOKEN).statusCode()).as("once they are answered").isEqualTo(202);
        PrometheusText metrics = bridge.metrics();
        assertThat(metrics.sum("flowbridge_webhook_refused_total", "reason=\"rate-limit\"")).isEqualTo(refused.size());
        assertThat(metrics.sum("flowbridge_webhook_refused_total", "reason=\"in-flight\"")).isEqualTo(1);
        System.out.printf("[limits] burst of 15 at 2/s: %d accepted, %d answered 429; over the in-flight limit: 429 in %d ms "
            + "while the 3 in flight waited on FLOW%n", accepted, refused.size(), tookMs);
    }

    @Test
    void slow_idle_and_surplus_connections_are_cut_off_after_their_timeout_and_hold_nothing() throws Exception {
        // Long enough for what the test does while they are open (several seconds on a busy machine).
        int timeout = 8;
        Map<String, String> environment = environment("slow");
        environment.put("WEBHOOK_TOKEN", TOKEN);
        environment.put("WEBHOOK_HEADER_TIMEOUT", timeout + "s");
        environment.put("WEBHOOK_BODY_TIMEOUT", timeout + "s");
        environment.put("WEBHOOK_MAX_IN_FLIGHT", "2");
        environment.put("WEBHOOK_MAX_CONNECTIONS", "60");
        BridgeProcess bridge = start("slow", environment);
        int port = Integer.parseInt(environment.get("WEBHOOK_PORT"));
        assertThat(post(port, "/webhooks/registrations", TOKEN).statusCode()).isEqualTo(202);

        // 20 clients send their headers a line at a time, 20 their body a byte at a time, 10 nothing at all.
        List<Slow> slowHeaders = new ArrayList<>();
        List<Slow> slowBodies = new ArrayList<>();
        List<Slow> idle = new ArrayList<>();
        long opened = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            slowHeaders.add(Slow.open(port, "POST /webhooks/registrations HTTP/1.1\r\nHost: flow-bridge\r\n", "X-Padding: slowly\r\n"));
            slowBodies.add(Slow.open(port, "POST /webhooks/registrations HTTP/1.1\r\nHost: flow-bridge\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nContent-Length: 5000\r\n\r\n{", " "));
        }
        for (int i = 0; i < 10; i++) {
            idle.add(Slow.open(port, "", ""));
        }
        List<Slow> all = new ArrayList<>(slowHeaders);
        all.addAll(slowBodies);
        all.addAll(idle);
        // Counted as the server accepts them, which on a busy machine may lag the client's connect.
        double connections = bridge.metrics().sum("flowbridge_webhook_connections");
        while (connections < 50 && System.nanoTime() - opened < Duration.ofSeconds(timeout / 2).toNanos()) {
            Slow.dribble(all);
            Thread.sleep(200);
            connections = bridge.metrics().sum("flowbridge_webhook_connections");
        }
        assertThat(connections).as("the 50 slow ones open").isGreaterThanOrEqualTo(50);
        // 60 connections at most: beyond, a connection is closed as it opens.
        List<Slow> surplus = new ArrayList<>();
        long surplusOpened = System.nanoTime();
        for (int i = 0; i < 15; i++) {
            surplus.add(Slow.open(port, "", ""));
        }
        Thread.sleep(1500);
        List<Slow> closedAtOnce = surplus.stream().filter(Slow::closed).toList();
        assertThat(closedAtOnce).as("connections beyond 60 closed as they open").hasSizeGreaterThanOrEqualTo(5)
            .allSatisfy(connection -> assertThat(connection.openFor()).isLessThan(1.5));
        // While they dribble, good requests go through: slow bodies hold no in-flight slot (there are 2).
        for (int round = 0; round < 3; round++) {
            Slow.dribble(all);
            assertThat(post(port, "/webhooks/registrations", TOKEN).statusCode()).as("a good request while 50 are slow").isEqualTo(202);
            Thread.sleep(300);
        }

        while (all.stream().anyMatch(connection -> !connection.closed())
            && System.nanoTime() - opened < Duration.ofSeconds(timeout + 10).toNanos()) {
            Slow.dribble(all);
            Thread.sleep(300);
        }
        assertThat(all).as("every slow or idle connection closed by flow-bridge").allMatch(Slow::closed);
        double firstCut = all.stream().mapToDouble(Slow::openFor).min().orElseThrow();
        double lastCut = all.stream().mapToDouble(Slow::openFor).max().orElseThrow();
        assertThat(firstCut).as("seconds until the first was cut (header and body timeouts %d s)", timeout)
            .isGreaterThanOrEqualTo(timeout - 0.5);
        assertThat(lastCut).as("seconds until the last was cut").isLessThan(timeout + 6.0);
        assertThat(slowBodies).as("slow bodies answered 408 first").allSatisfy(connection -> assertThat(connection.received())
            .startsWith("HTTP/1.1 408").contains("\"field\":\"body\"", "did not arrive within " + timeout + ".0 s"));
        assertThat(slowHeaders).as("slow headers: closed without an answer").allSatisfy(connection ->
            assertThat(connection.received()).isEmpty());
        // The surplus connections that got in are cut too, after their own header timeout.
        while (surplus.stream().anyMatch(connection -> !connection.closed())
            && System.nanoTime() - surplusOpened < Duration.ofSeconds(timeout + 4).toNanos()) {
            Thread.sleep(300);
        }
        assertThat(surplus).allMatch(Slow::closed);
        surplus.forEach(Slow::close);
        PrometheusText metrics = bridge.metrics();
        assertThat(metrics.sum("flowbridge_webhook_connections")).as("connections open once they are cut").isLessThanOrEqualTo(1);
        assertThat(metrics.sum("flowbridge_webhook_in_flight")).isZero();
        assertThat(metrics.sum("flowbridge_webhook_refused_total", "reason=\"body-timeout\"")).isEqualTo(20);
        assertThat(metrics.sum("flowbridge_webhook_refused_total", "reason=\"header-timeout\"")).isGreaterThanOrEqualTo(30);
        assertThat(metrics.sum("flowbridge_webhook_refused_total", "reason=\"connections\"")).isEqualTo(closedAtOnce.size());
        assertThat(post(port, "/webhooks/registrations", TOKEN).statusCode()).isEqualTo(202);
        System.out.printf("[limits] 20 slow-header, 20 slow-body and 10 idle connections cut %.1f to %.1f s after opening "
            + "(timeouts %d s); %d of 15 surplus connections closed as they opened%n", firstCut, lastCut, timeout, closedAtOnce.size());
    }

    // ----

    /** A raw connection sending a request slowly, a piece at a time; a thread of its own notes when flow-bridge closes it. */
    private static final class Slow {
        private final Socket socket;
        private final String piece;
        private final long openedAt = System.nanoTime();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private volatile long closedAt;

        private Slow(Socket socket, String piece) {
            this.socket = socket;
            this.piece = piece;
            Thread reader = new Thread(this::read, "slow-client");
            reader.setDaemon(true);
            reader.start();
        }

        static Slow open(int port, String start, String piece) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new Slow(socket, piece);
        }

        static void dribble(List<Slow> connections) {
            connections.forEach(Slow::send);
        }

        private void read() {
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[4096];
                for (int read; (read = in.read(buffer)) != -1; ) {
                    synchronized (received) {
                        received.write(buffer, 0, read);
                    }
                }
            } catch (IOException reset) {
                // closed all the same
            }
            closedAt = System.nanoTime();
        }

        void send() {
            if (closed() || piece.isEmpty()) {
                return;
            }
            try {
                OutputStream out = socket.getOutputStream();
                out.write(piece.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException cut) {
                // the reader sees it too
            }
        }

        boolean closed() {
            return closedAt != 0;
        }

        /** Seconds from opening to flow-bridge closing it. */
        double openFor() {
            return (closedAt - openedAt) / 1e9;
        }

        String received() {
            synchronized (received) {
                return received.toString(StandardCharsets.UTF_8);
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    private Map<String, String> environment(String name) {
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, name, workDir.resolve("locks"));
        environment.put("FLOW_POLL_INITIAL_DELAY", "1h");
        return environment;
    }

    private BridgeProcess start(String name, Map<String, String> environment) {
        BridgeProcess process = track(BridgeProcess.start("flow-bridge-" + name, workDir.resolve(name), environment, List.of("-Xmx256m")));
        process.awaitLine("Apache Camel 4.17.0 (flow-bridge) started", START);
        return process;
    }

    private static void awaitGauge(BridgeProcess bridge, String gauge, double value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (bridge.metrics().sum(gauge) < value) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(gauge + " did not reach " + value + ": " + bridge.metrics().sum(gauge));
            }
            Thread.sleep(50);
        }
    }

    private HttpResponse<String> post(int port, String path, String token) {
        byte[] body = ("{\"email\":\"limits-" + emails.incrementAndGet() + "@example.com\",\"firstName\":\"Li\",\"lastName\":\"Mits\","
            + "\"eventSessionToken\":\"live-townhall\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
