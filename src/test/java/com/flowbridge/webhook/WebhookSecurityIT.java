package com.flowbridge.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.PrometheusText;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.StandardWebhooksSender;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.flowbridge.testing.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook's credentials end to end: the packaged jar as its own process, the FLOW sandbox over HTTP, a real Kafka
 * broker, and senders as CRMs would be: a Standard Webhooks sender signing with Python's standard library (not the
 * library flow-bridge verifies with), an {@code X-Signature-256} sender, a bearer-token sender.
 */
class WebhookSecurityIT extends SandboxTest {

    private static final String STANDARD_SECRET = StandardWebhooksSender.secret("fake-standard-webhooks-secret-of-the-crm");
    private static final String SIGNATURE_SECRET = "fake-x-signature-256-secret";
    private static final String TOKEN = "fake-bearer-token-of-a-portal";
    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final StandardWebhooksSender sender = track(new StandardWebhooksSender());

    @Test
    void a_standard_webhooks_an_x_signature_256_and_a_bearer_token_sender_each_get_their_commands_carried_out_once() throws Exception {
        TopicProbe commands = probe("kafka.topic.registration-commands");
        TopicProbe results = probe("kafka.topic.registration-results");
        TopicProbe events = probe("kafka.topic.events");
        Map<String, String> environment = environment("senders");
        environment.put("WEBHOOK_STANDARD_SECRET", STANDARD_SECRET);
        environment.put("WEBHOOK_SECRET", SIGNATURE_SECRET);
        environment.put("WEBHOOK_TOKEN", TOKEN);
        Bridge bridge = start("senders", environment);

        // Standard Webhooks, a body without commandId: the webhook-id is the commandId, on the record's command-id header.
        String webhookId = "msg_" + UUID.randomUUID();
        byte[] ada = registration("ada@example.com", null);
        HttpResponse<String> standard = bridge.post("/webhooks/registrations", sender.headers(STANDARD_SECRET, webhookId, ada), ada);
        assertThat(standard.statusCode()).as(standard.body()).isEqualTo(202);
        assertThat(json(standard.body()).path("commandId").asText()).isEqualTo(webhookId);
        // Standard Webhooks, a body with its own commandId: that one stays.
        byte[] grace = registration("grace@example.com", "crm-grace-1");
        HttpResponse<String> own = bridge.post("/webhooks/registrations", sender.headers(STANDARD_SECRET, "msg_" + UUID.randomUUID(), grace), grace);
        assertThat(json(own.body()).path("commandId").asText()).isEqualTo("crm-grace-1");
        // X-Signature-256 and the bearer token, as before.
        byte[] alan = registration("alan@example.com", null);
        HttpResponse<String> signed = bridge.post("/webhooks/registrations", Map.of("Content-Type", "application/json",
            WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature(SIGNATURE_SECRET, alan)), alan);
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(202);
        byte[] bob = registration("bob@example.com", "crm-bob-1");
        HttpResponse<String> token = bridge.post("/webhooks/registrations", Map.of("Content-Type", "application/json",
            "Authorization", "Bearer " + TOKEN), bob);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(202);

        Map<String, ConsumerRecord<String, String>> byEmail = commands.awaitCount(4, WAIT).stream()
            .collect(Collectors.toMap(record -> value(record).path("email").asText(), record -> record));
        assertThat(header(byEmail.get("ada@example.com"), "command-id")).isEqualTo(webhookId);
        assertThat(TopicProbe.headers(byEmail.get("grace@example.com"))).as("a commandId of its own: no header").isEmpty();
        assertThat(TopicProbe.headers(byEmail.get("alan@example.com"))).isEmpty();
        assertThat(TopicProbe.headers(byEmail.get("bob@example.com"))).isEmpty();
        assertThat(byEmail.get("ada@example.com").value()).isEqualTo(new String(ada, StandardCharsets.UTF_8));
        String alanId = json(signed.body()).path("commandId").asText();
        Map<String, String> statuses = results.awaitCount(4, WAIT).stream().map(SandboxTest::value)
            .collect(Collectors.toMap(outcome -> outcome.path("commandId").asText(), outcome -> outcome.path("status").asText()));
        assertThat(statuses).isEqualTo(Map.of(webhookId, "registered", "crm-grace-1", "registered", alanId, "registered",
            "crm-bob-1", "registered"));
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of(webhookId, 1L, "crm-grace-1", 1L, alanId, 1L, "crm-bob-1", 1L));

        // POST /reports/{sessionToken} takes every scheme too; a Standard Webhooks replay of it asks for nothing again.
        events.awaitCount(5, WAIT);
        TopicProbe reportRequests = probe("kafka.topic.report-requests");
        byte[] report = "{\"report\":\"registrants\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> reportHeaders = sender.headers(STANDARD_SECRET, "msg_" + UUID.randomUUID(), report);
        HttpResponse<String> reportAnswer = bridge.post("/reports/past-onboarding", reportHeaders, report);
        assertThat(reportAnswer.statusCode()).as(reportAnswer.body()).isEqualTo(202);
        HttpResponse<String> reportReplay = bridge.post("/reports/past-onboarding", reportHeaders, report);
        assertThat(reportReplay.statusCode()).isEqualTo(202);
        assertThat(json(reportReplay.body()).path("replay").asBoolean()).isTrue();
        assertThat(bridge.post("/reports/past-onboarding", Map.of("Authorization", "Bearer " + TOKEN), report).statusCode()).isEqualTo(202);
        assertThat(reportRequests.awaitCount(2, WAIT)).hasSize(2);
        assertThat(reportRequests.newRecordsWithin(Duration.ofSeconds(1))).as("the replay asked for nothing").isEmpty();

        // Requests per key, by a key id that is not the key.
        PrometheusText metrics = bridge.process.metrics();
        assertThat(metrics.sum("flowbridge_webhook_accepted_total", "scheme=\"standard-webhooks\"", "key=\"" + keyId(STANDARD_SECRET) + "\""))
            .isEqualTo(4);
        assertThat(metrics.sum("flowbridge_webhook_accepted_total", "scheme=\"x-signature-256\"", "key=\"" + keyId(SIGNATURE_SECRET) + "\""))
            .isEqualTo(1);
        assertThat(metrics.sum("flowbridge_webhook_accepted_total", "scheme=\"bearer-token\"", "key=\"" + keyId(TOKEN) + "\"")).isEqualTo(2);
        assertThat(metrics.sum("flowbridge_webhook_replays_total")).isEqualTo(1);
        assertThat(metrics.toString() + bridge.process.consoleText())
            .doesNotContain(STANDARD_SECRET, STANDARD_SECRET.substring("whsec_".length()), SIGNATURE_SECRET, TOKEN);
        assertThat(bridge.process.consoleText()).contains("Webhook credentials: standard-webhooks 1 key [" + keyId(STANDARD_SECRET) + "]");
    }

    @Test
    void with_standard_webhooks_only_a_replay_inside_the_window_is_not_carried_out_again_and_one_outside_it_is_refused()
        throws Exception {
        TopicProbe commands = probe("kafka.topic.registration-commands");
        TopicProbe results = probe("kafka.topic.registration-results");
        Map<String, String> environment = environment("standard-only");
        environment.put("WEBHOOK_STANDARD_SECRET", STANDARD_SECRET);
        environment.put("WEBHOOK_TIMESTAMP_TOLERANCE", "30s");
        // The other schemes keep their keys but are switched off: the hardened set-up the README recommends.
        environment.put("WEBHOOK_SECRET", SIGNATURE_SECRET);
        environment.put("WEBHOOK_X_SIGNATURE_256_ENABLED", "false");
        environment.put("WEBHOOK_TOKEN", TOKEN);
        environment.put("WEBHOOK_BEARER_TOKEN_ENABLED", "false");
        Bridge bridge = start("standard-only", environment);

        byte[] ada = registration("ada@example.com", null);
        String id = "msg_" + UUID.randomUUID();
        long now = StandardWebhooksSender.now();
        Map<String, String> delivery = sender.headers(STANDARD_SECRET, id, now, ada);
        assertThat(bridge.post("/webhooks/registrations", delivery, ada).statusCode()).isEqualTo(202);
        // The same request again (captured, or a sender that lost the answer), and a retry signed anew: not carried out again.
        HttpResponse<String> replay = bridge.post("/webhooks/registrations", delivery, ada);
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(json(replay.body()).path("commandId").asText()).isEqualTo(id);
        assertThat(json(replay.body()).path("replay").asBoolean()).isTrue();
        assertThat(bridge.post("/webhooks/registrations", sender.headers(STANDARD_SECRET, id, now + 1, ada), ada).statusCode())
            .isEqualTo(202);
        // The same webhook-id for another body: a mistake (or a stolen key), refused.
        byte[] eve = registration("eve@example.com", null);
        HttpResponse<String> reused = bridge.post("/webhooks/registrations", sender.headers(STANDARD_SECRET, id, eve), eve);
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(json(reused.body()).path("errors").get(0).path("field").asText()).isEqualTo("webhook-id");

        // Clock skew within the tolerance is fine, beyond it in either direction is 401 saying so.
        now = StandardWebhooksSender.now();
        byte[] behind = registration("behind@example.com", null);
        assertThat(bridge.post("/webhooks/registrations", sender.headers(STANDARD_SECRET, "msg_" + UUID.randomUUID(), now - 20, behind), behind)
            .statusCode()).isEqualTo(202);
        byte[] ahead = registration("ahead@example.com", null);
        assertThat(bridge.post("/webhooks/registrations", sender.headers(STANDARD_SECRET, "msg_" + UUID.randomUUID(), now + 20, ahead), ahead)
            .statusCode()).isEqualTo(202);
        HttpResponse<String> old = bridge.post("/webhooks/registrations",
            sender.headers(STANDARD_SECRET, "msg_" + UUID.randomUUID(), now - 45, eve), eve);
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(json(old.body()).path("errors").get(0).path("field").asText()).isEqualTo("webhook-timestamp");
        assertThat(json(old.body()).path("errors").get(0).path("message").asText()).contains("s in the past", "at most 30 s");
        HttpResponse<String> future = bridge.post("/webhooks/registrations",
            sender.headers(STANDARD_SECRET, "msg_" + UUID.randomUUID(), now + 45, eve), eve);
        assertThat(json(future.body()).path("errors").get(0).path("message").asText()).contains("s in the future");

        // A request captured while valid, replayed once its timestamp is out of the window: refused.
        byte[] late = registration("late@example.com", null);
        Map<String, String> captured = sender.headers(STANDARD_SECRET, "msg_" + UUID.randomUUID(), StandardWebhooksSender.now() - 27, late);
        assertThat(bridge.post("/webhooks/registrations", captured, late).statusCode()).isEqualTo(202);
        Thread.sleep(5_000);
        HttpResponse<String> tooLate = bridge.post("/webhooks/registrations", captured, late);
        assertThat(tooLate.statusCode()).isEqualTo(401);
        assertThat(json(tooLate.body()).path("errors").get(0).path("field").asText()).isEqualTo("webhook-timestamp");

        // The schemes switched off refuse even their own keys.
        HttpResponse<String> signed = bridge.post("/webhooks/registrations", Map.of("Content-Type", "application/json",
            WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature(SIGNATURE_SECRET, eve)), eve);
        assertThat(signed.statusCode()).isEqualTo(401);
        assertThat(json(signed.body()).path("errors").get(0).path("message").asText()).isEqualTo("is not accepted by this server");
        assertThat(bridge.post("/webhooks/registrations", Map.of("Content-Type", "application/json", "Authorization", "Bearer " + TOKEN), eve)
            .statusCode()).isEqualTo(401);

        List<ConsumerRecord<String, String>> outcomes = results.awaitCount(4, WAIT);
        assertThat(commands.records()).extracting(record -> value(record).path("email").asText())
            .containsExactlyInAnyOrder("ada@example.com", "behind@example.com", "ahead@example.com", "late@example.com");
        assertThat(outcomes).extracting(outcome -> value(outcome).path("status").asText()).containsOnly("registered");
        assertThat(results.newRecordsWithin(Duration.ofSeconds(2))).isEmpty();
        assertThat(flow().postsByCommandId()).containsEntry(id, 1L).hasSize(4);
        assertThat(flow().registrants("live-townhall")).noneMatch(registrant -> registrant.path("email").asText().equals("eve@example.com"));
        PrometheusText metrics = bridge.process.metrics();
        assertThat(metrics.sum("flowbridge_webhook_refused_total", "reason=\"timestamp\"")).isEqualTo(3);
        assertThat(metrics.sum("flowbridge_webhook_refused_total", "reason=\"webhook-id-reused\"")).isEqualTo(1);
        assertThat(metrics.sum("flowbridge_webhook_replays_total")).isEqualTo(2);
    }

    @Test
    void a_sender_retrying_against_another_instance_gets_its_command_carried_out_once() throws Exception {
        TopicProbe commands = probe("kafka.topic.registration-commands");
        TopicProbe results = probe("kafka.topic.registration-results");
        Path locks = workDir.resolve("locks");
        Bridge first = start("first", instance("first", locks));
        Bridge second = start("second", instance("second", locks));

        byte[] ada = registration("ada@example.com", null);
        String id = "msg_" + UUID.randomUUID();
        long now = StandardWebhooksSender.now();
        assertThat(first.post("/webhooks/registrations", sender.headers(STANDARD_SECRET, id, now, ada), ada).statusCode()).isEqualTo(202);
        results.awaitCount(1, WAIT);
        // The sender did not get the answer (a time-out), and its retry, signed anew, lands on the other instance.
        HttpResponse<String> retry = second.post("/webhooks/registrations", sender.headers(STANDARD_SECRET, id, now + 10, ada), ada);
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(json(retry.body()).path("commandId").asText()).isEqualTo(id);

        assertThat(commands.awaitCount(2, WAIT)).extracting(record -> header(record, "command-id")).containsExactly(id, id);
        assertThat(results.awaitCount(2, WAIT)).extracting(outcome -> value(outcome).path("status").asText())
            .containsExactly("registered", "duplicate");
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of(id, 1L));
    }

    // ----

    private Map<String, String> instance(String name, Path locks) {
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, name, locks);
        environment.put("FLOW_POLL_INITIAL_DELAY", "1h");
        environment.put("WEBHOOK_STANDARD_SECRET", STANDARD_SECRET);
        return environment;
    }

    private Map<String, String> environment(String name) {
        return BridgeProcess.environment(sandbox, topics, name, workDir.resolve("locks"));
    }

    private Bridge start(String name, Map<String, String> environment) {
        BridgeProcess process = track(BridgeProcess.start("flow-bridge-" + name, workDir.resolve(name), environment,
            List.of("-Xmx256m")));
        process.awaitLine("Apache Camel 4.17.0 (flow-bridge) started", START);
        return new Bridge(process, Integer.parseInt(environment.get("WEBHOOK_PORT")));
    }

    private final class Bridge {
        private final BridgeProcess process;
        private final int port;

        Bridge(BridgeProcess process, int port) {
            this.process = process;
            this.port = port;
        }

        HttpResponse<String> post(String path, Map<String, String> headers, byte[] body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static byte[] registration(String email, String commandId) {
        Map<String, Object> command = new LinkedHashMap<>();
        if (commandId != null) {
            command.put("commandId", commandId);
        }
        command.put("email", email);
        command.put("firstName", "Ada");
        command.put("lastName", "Lovelace");
        command.put("eventSessionToken", "live-townhall");
        try {
            return JSON.writeValueAsBytes(command);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key id an operator computes: {@code printf '%s' "$SECRET" | sha256sum | cut -c1-8}. */
    static String keyId(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
