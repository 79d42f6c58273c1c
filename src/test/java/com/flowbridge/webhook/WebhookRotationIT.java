package com.flowbridge.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.PrometheusText;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.StandardWebhooksSender;
import com.flowbridge.testing.TopicProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.flowbridge.webhook.WebhookSecurityIT.keyId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's rotation procedure, followed against the packaged jar while three senders (Standard Webhooks, signed by
 * Python; X-Signature-256; a bearer token) keep sending: add the new key to each key file, move the senders to it,
 * remove the old key. No request is refused on the way, every accepted command is carried out once, and the metric of
 * accepted requests per key id shows each sender moving.
 */
class WebhookRotationIT extends SandboxTest {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration PHASE = Duration.ofSeconds(2);

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final StandardWebhooksSender python = track(new StandardWebhooksSender());

    /** One scheme's old and new key, the file holding its keys, and how a sender uses a key. */
    private record Scheme(String name, String oldKey, String newKey, Path file, Function<String, Sign> signer) {
    }

    /** The headers of a request with {@code body}, signed or authorised with a key. */
    private interface Sign {
        Map<String, String> headers(byte[] body);
    }

    @Test
    void keys_rotate_in_their_files_while_senders_keep_sending_and_no_request_is_refused_on_the_way() throws Exception {
        AtomicInteger ids = new AtomicInteger();
        List<Scheme> schemes = List.of(
            new Scheme("standard-webhooks", StandardWebhooksSender.secret("fake-standard-secret-2026"),
                StandardWebhooksSender.secret("fake-standard-secret-2027"), workDir.resolve("standard-secrets"),
                key -> body -> python.headers(key, "msg_rotation_" + ids.incrementAndGet(), body)),
            new Scheme("x-signature-256", "fake-signature-secret-2026", "fake-signature-secret-2027", workDir.resolve("signature-secrets"),
                key -> body -> Map.of("Content-Type", "application/json", WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature(key, body))),
            new Scheme("bearer-token", "fake-token-2026", "fake-token-2027", workDir.resolve("tokens"),
                key -> body -> Map.of("Content-Type", "application/json", "Authorization", "Bearer " + key)));
        for (Scheme scheme : schemes) {
            save(scheme.file(), scheme.oldKey());
        }
        TopicProbe results = probe("kafka.topic.registration-results");
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, "rotation", workDir.resolve("locks"));
        environment.put("FLOW_POLL_INITIAL_DELAY", "1h");
        environment.put("WEBHOOK_STANDARD_SECRET_FILE", schemes.get(0).file().toString());
        environment.put("WEBHOOK_SECRET_FILE", schemes.get(1).file().toString());
        environment.put("WEBHOOK_TOKEN_FILE", schemes.get(2).file().toString());
        environment.put("WEBHOOK_CREDENTIALS_RELOAD_INTERVAL", "1s");
        BridgeProcess bridge = track(BridgeProcess.start("flow-bridge-rotation", workDir.resolve("bridge"), environment, List.of("-Xmx256m")));
        bridge.awaitLine("Apache Camel 4.17.0 (flow-bridge) started", START);
        int port = Integer.parseInt(environment.get("WEBHOOK_PORT"));

        Map<String, String> current = new ConcurrentHashMap<>();
        schemes.forEach(scheme -> current.put(scheme.name(), scheme.oldKey()));
        List<String> answers = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> sentWith = new ConcurrentHashMap<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger emails = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (Scheme scheme : schemes) {
            Thread sender = new Thread(() -> {
                while (sending.get()) {
                    String key = current.get(scheme.name());
                    byte[] body = registration("rotation-" + emails.incrementAndGet() + "@example.com");
                    int status = post(port, scheme.signer().apply(key).headers(body), body);
                    answers.add(scheme.name() + " " + status);
                    sentWith.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    sleep(100);
                }
            }, "sender-" + scheme.name());
            sender.start();
            senders.add(sender);
        }

        Thread.sleep(PHASE.toMillis());
        // 1. Add the new key beside the old one (a line each), and wait until flow-bridge has read them.
        for (Scheme scheme : schemes) {
            save(scheme.file(), scheme.oldKey() + "\n" + scheme.newKey() + "\n");
        }
        String standard = "standard-webhooks 2 keys [" + keyId(schemes.get(0).oldKey()) + ", " + keyId(schemes.get(0).newKey()) + "]";
        bridge.awaitLine(line -> line.contains("Webhook credentials reloaded") && line.contains(standard)
            && line.contains("bearer-token 2 keys"), Duration.ofSeconds(30), "the new keys read");
        Thread.sleep(PHASE.toMillis());
        // 2. Move the senders to the new key.
        schemes.forEach(scheme -> current.put(scheme.name(), scheme.newKey()));
        Thread.sleep(PHASE.toMillis());
        // 3. Remove the old key once nothing uses it (the metric per key id says so).
        PrometheusText moved = bridge.metrics();
        for (Scheme scheme : schemes) {
            save(scheme.file(), scheme.newKey() + "\n");
        }
        bridge.awaitLine(line -> line.contains("Webhook credentials reloaded") && line.contains("standard-webhooks 1 key ["
            + keyId(schemes.get(0).newKey()) + "]") && line.contains("bearer-token 1 key"), Duration.ofSeconds(30), "the old keys removed");
        Thread.sleep(PHASE.toMillis());
        sending.set(false);
        for (Thread sender : senders) {
            sender.join(30_000);
        }

        assertThat(answers).as("every request during the rotation").isNotEmpty().allMatch(answer -> answer.endsWith(" 202"));
        for (Scheme scheme : schemes) {
            assertThat(answers).as("requests of " + scheme.name()).filteredOn(answer -> answer.startsWith(scheme.name())).hasSizeGreaterThan(10);
            assertThat(sentWith.get(scheme.oldKey()).get()).as(scheme.name() + " with the old key").isPositive();
            assertThat(sentWith.get(scheme.newKey()).get()).as(scheme.name() + " with the new key").isPositive();
            byte[] body = registration("after@example.com");
            assertThat(post(port, scheme.signer().apply(scheme.oldKey()).headers(body), body))
                .as(scheme.name() + " with the old key once it is removed").isEqualTo(401);
        }
        PrometheusText metrics = bridge.metrics();
        for (Scheme scheme : schemes) {
            String old = "key=\"" + keyId(scheme.oldKey()) + "\"";
            String fresh = "key=\"" + keyId(scheme.newKey()) + "\"";
            String name = "scheme=\"" + scheme.name() + "\"";
            assertThat(metrics.sum("flowbridge_webhook_accepted_total", name, old)).as(scheme.name() + " old key's count")
                .isEqualTo(sentWith.get(scheme.oldKey()).get());
            assertThat(metrics.sum("flowbridge_webhook_accepted_total", name, fresh)).as(scheme.name() + " new key's count")
                .isEqualTo(sentWith.get(scheme.newKey()).get());
            assertThat(moved.sum("flowbridge_webhook_accepted_total", name, old))
                .as(scheme.name() + ": the old key's count stopped moving once the senders moved").isEqualTo(metrics.sum(
                    "flowbridge_webhook_accepted_total", name, old));
            assertThat(metrics.toString()).doesNotContain(scheme.oldKey(), scheme.newKey());
        }
        int accepted = answers.size();
        Map<String, Long> statuses = results.awaitCount(accepted, WAIT).stream().map(SandboxTest::value)
            .collect(Collectors.groupingBy(outcome -> outcome.path("status").asText(), Collectors.counting()));
        assertThat(statuses).isEqualTo(Map.of("registered", (long) accepted));
        assertThat(flow().postsByCommandId()).hasSize(accepted).allSatisfy((commandId, posts) -> assertThat(posts).isEqualTo(1));
        System.out.printf("[rotation] %d requests over three schemes while keys rotated, all 202; %s%n", accepted,
            sentWith.entrySet().stream().map(entry -> keyId(entry.getKey()) + "=" + entry.getValue()).sorted().toList());
    }

    private int post(int port, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/registrations"))
            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static byte[] registration(String email) {
        return ("{\"email\":\"" + email + "\",\"firstName\":\"Rota\",\"lastName\":\"Tion\",\"eventSessionToken\":\"live-townhall\"}")
            .getBytes(StandardCharsets.UTF_8);
    }

    /** As an operator's tooling (or Kubernetes) replaces a secret file: written aside, then moved over it in one step. */
    private static void save(Path file, String content) throws Exception {
        Path aside = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(aside, content);
        Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
