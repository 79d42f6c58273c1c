package com.flowbridge.command;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.TestBridge;
import com.flowbridge.testing.TopicProbe;
import com.flowbridge.webhook.WebhookAuth;
import com.flowbridge.testing.HttpContract;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook over real HTTP, with the shipped routes, the FLOW sandbox and a real Kafka broker. */
class WebhookIT extends SandboxTest {

    private static final String SECRET = "it-webhook-secret";
    private static final String TOKEN = "it-webhook-token";
    private static final String ADA = "{\"email\":\"ada@example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\","
        + "\"eventSessionToken\":\"live-townhall\"}";
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    @BeforeEach
    void startTheBridge() {
        port = BridgeProcess.freePort();
        startBridge(Map.of("webhook.port", String.valueOf(port), "webhook.secret", SECRET, "webhook.token", TOKEN,
            "webhook.wait-timeout", "5s"));
    }

    @Test
    void a_signed_registration_is_accepted_once_it_is_on_the_command_topic_keyed_for_its_order() throws Exception {
        TopicProbe commands = probe("kafka.topic.registration-commands");
        TopicProbe results = probe("kafka.topic.registration-results");

        HttpResponse<String> response = post("/webhooks/registrations", ADA, signed(ADA));

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode answer = json(response.body());
        assertThat(answer.path("status").asText()).isEqualTo("accepted");
        String commandId = answer.path("commandId").asText();
        assertThat(commandId).hasSize(36);
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.equalsIgnoreCase("x-signature-256"));
        ConsumerRecord<String, String> command = commands.awaitCount(1, WAIT).get(0);
        assertThat(command.key()).isEqualTo("live-townhall:ada@example.com");
        assertThat(command.value()).isEqualTo(ADA);
        assertThat(TopicProbe.headers(command).keySet()).isEmpty();
        JsonNode outcome = value(results.awaitCount(1, WAIT).get(0));
        assertThat(outcome.path("commandId").asText()).isEqualTo(commandId);
        assertThat(outcome.path("status").asText()).isEqualTo("registered");
    }

    @Test
    void a_crm_that_cannot_sign_may_send_the_bearer_token() throws Exception {
        HttpResponse<String> response = post("/webhooks/registrations", ADA,
            Map.of("Content-Type", "application/json; charset=UTF-8", "Authorization", "Bearer " + TOKEN));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.equalsIgnoreCase("authorization"));
    }

    @Test
    void without_a_valid_credential_the_answer_is_401_and_nothing_is_forwarded() throws Exception {
        TopicProbe commands = probe("kafka.topic.registration-commands");
        String other = ADA.replace("Ada", "Eve");

        assertThat(post("/webhooks/registrations", ADA, Map.of("Content-Type", "application/json")).statusCode()).isEqualTo(401);
        assertThat(post("/webhooks/registrations", ADA, signed(other)).statusCode()).isEqualTo(401);
        assertThat(post("/webhooks/registrations", ADA, Map.of("Content-Type", "application/json",
            WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature("wrong-secret", ADA.getBytes(StandardCharsets.UTF_8)))).statusCode())
            .isEqualTo(401);
        HttpResponse<String> wrongToken = post("/webhooks/events", EventCommandsIT.EVENT,
            Map.of("Content-Type", "application/json", "Authorization", "Bearer not-the-token"));
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        assertThat(json(wrongToken.body()).path("errors").isArray()).isTrue();
        assertThat(commands.newRecordsWithin(Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void what_is_not_json_is_415_and_a_body_over_64_kib_is_413() throws Exception {
        String text = "email=ada@example.com";
        HttpResponse<String> notJson = post("/webhooks/registrations", text, Map.of("Content-Type", "text/plain",
            WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature(SECRET, text.getBytes(StandardCharsets.UTF_8))));
        assertThat(notJson.statusCode()).isEqualTo(415);
        assertThat(json(notJson.body()).path("errors").get(0).path("field").asText()).isEqualTo("Content-Type");

        String huge = ADA.replace("\"Lovelace\"", "\"" + "x".repeat(70 * 1024) + "\"");
        HttpResponse<String> tooLarge = post("/webhooks/registrations", huge, signed(huge));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json(tooLarge.body()).path("errors").get(0).path("message").asText()).isEqualTo("must be at most 65536 bytes");
        assertThat(post("/webhooks/registrations", ADA, signed(ADA)).statusCode()).as("the next request, on the same client").isEqualTo(202);
    }

    @Test
    void a_bad_command_is_400_naming_each_bad_or_missing_field() throws Exception {
        String malformed = "{\"email\": \"ada@example.com\",";
        HttpResponse<String> notParsed = post("/webhooks/registrations", malformed, signed(malformed));
        assertThat(notParsed.statusCode()).isEqualTo(400);
        assertThat(json(notParsed.body()).path("errors").get(0).path("field").asText()).isEqualTo("body");

        String invalid = "{\"email\":\"ada@\",\"firstName\":\"Ada\",\"eventSessionToken\":\"live-townhall\",\"redirect\":\"yes\"}";
        HttpResponse<String> response = post("/webhooks/registrations", invalid, signed(invalid));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(json(response.body()).path("errors").findValuesAsText("field")).containsExactly("email", "lastName", "redirect");
    }

    @Test
    void wait_true_answers_with_the_outcome_and_its_login_link_in_one_call() throws Exception {
        String sso = ADA.replace("}", ",\"redirect\":true}");

        HttpResponse<String> response = post("/webhooks/registrations?wait=true", sso, signed(sso));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode outcome = json(response.body());
        assertThat(outcome.path("status").asText()).isEqualTo("registered");
        assertThat(outcome.path("loginUrl").asText()).isEqualTo(flow().registrants("live-townhall").stream()
            .filter(r -> r.path("email").asText().equals("ada@example.com")).findFirst().orElseThrow().path("loginUrl").asText());

        HttpResponse<String> again = post("/webhooks/registrations?wait=true", sso, signed(sso));
        assertThat(json(again.body()).path("status").asText()).isEqualTo("duplicate");
        assertThat(json(again.body()).path("loginUrl").asText()).isEqualTo(outcome.path("loginUrl").asText());
    }

    @Test
    void wait_true_answers_202_with_a_hint_when_the_outcome_is_late() throws Exception {
        flow().setLatency("POST", "/registrants", 8000);

        HttpResponse<String> response = post("/webhooks/registrations?wait=true", ADA, signed(ADA));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response.body()).path("hint").asText()).contains("registration.results");
    }

    @Test
    void event_commands_are_taken_the_same_way() throws Exception {
        HttpResponse<String> created = post("/webhooks/events?wait=true", EventCommandsIT.EVENT, signed(EventCommandsIT.EVENT));
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(json(created.body()).path("status").asText()).isEqualTo("created");
        assertThat(flow().session(json(created.body()).path("sessionToken").asText())).isPresent();

        String invalid = EventCommandsIT.EVENT.replace("\"timezone\":\"Europe/Paris\",", "").replace("15:30:00", "3pm");
        HttpResponse<String> refused = post("/webhooks/events", invalid, signed(invalid));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused.body()).path("errors").findValuesAsText("field")).containsExactly("time", "timezone");
    }

    private Map<String, String> signed(String body) {
        return Map.of("Content-Type", "application/json",
            WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature(SECRET, body.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return HttpContract.send(http, request.build());
    }
}
