package com.flowbridge.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.observe.Metrics;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookRequestsTest {

    private static final byte[] BODY = "{\"email\":\"ada@example.com\"}".getBytes(StandardCharsets.UTF_8);
    private static final String STANDARD_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
        "fake-standard-webhooks-secret".getBytes(StandardCharsets.UTF_8));
    private final WebhookRequests requests = requests(0);

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\""})
    void json_is_accepted(String contentType) {
        assertThatNoException().isThrownBy(() -> requests.requireJson(request(contentType)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=iso-8859-1", "application/jsonp"})
    void anything_else_is_415(String contentType) {
        assertThatThrownBy(() -> requests.requireJson(request(contentType)))
            .isInstanceOfSatisfying(WebhookRefusal.class, refusal -> assertThat(refusal.status()).isEqualTo(415));
        assertThatThrownBy(() -> requests.requireJson(request(null))).isInstanceOf(WebhookRefusal.class);
    }

    @Test
    void a_request_signed_as_the_readme_shows_passes_and_an_unsigned_one_is_401() {
        Exchange signed = request("application/json");
        signed.getMessage().setHeader(WebhookAuth.SIGNATURE_HEADER,
            "sha256=45a5333ca5ec424107a4bd2669f2e245c0b83003713729645d5cfad6e34a619c");
        assertThatNoException().isThrownBy(() -> requests.authenticate(signed));

        assertThatThrownBy(() -> requests.authenticate(request("application/json")))
            .isInstanceOfSatisfying(WebhookRefusal.class, refusal -> assertThat(refusal.status()).isEqualTo(401));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"})
    void without_a_valid_credential_any_media_type_is_401(String contentType) {
        assertThatThrownBy(() -> requests.authenticate(request(contentType)))
            .isInstanceOfSatisfying(WebhookRefusal.class, refusal -> assertThat(refusal.status()).isEqualTo(401));
        Exchange wronglySigned = request("text/plain");
        wronglySigned.getMessage().setHeader(WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature("another-secret", BODY));
        assertThatThrownBy(() -> requests.authenticate(wronglySigned))
            .isInstanceOfSatisfying(WebhookRefusal.class, refusal -> assertThat(refusal.status()).isEqualTo(401));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x"})
    void a_signed_form_whose_raw_bytes_the_server_has_consumed_is_415(String contentType) {
        Exchange form = request(contentType);
        form.getMessage().setBody(null); // what platform-http leaves of a form body: its fields, as headers
        form.getMessage().setHeader(WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature("my-webhook-secret", BODY));
        assertThatThrownBy(() -> requests.authenticate(form))
            .isInstanceOfSatisfying(WebhookRefusal.class, refusal -> assertThat(refusal.status()).isEqualTo(415));
    }

    @Test
    void a_refusal_is_answered_with_its_status_and_errors_and_none_of_the_request_headers() {
        Exchange exchange = request("text/plain");
        exchange.getMessage().setHeader("Authorization", "Bearer secret-token");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, WebhookRefusal.unsupportedMediaType("text/plain"));

        requests.refused(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(415);
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey("Authorization");
        assertThat(exchange.getMessage().getBody(String.class))
            .isEqualTo("{\"errors\":[{\"field\":\"Content-Type\",\"message\":\"must be application/json (UTF-8), not text/plain\"}]}");
    }

    @Test
    void a_key_over_its_rate_is_429_saying_when_to_send_again() {
        WebhookRequests limited = requests(2);
        for (int i = 0; i < 2; i++) {
            assertThatNoException().isThrownBy(() -> limited.authenticate(signed(BODY)));
        }
        Exchange third = signed(BODY);
        assertThatThrownBy(() -> limited.authenticate(third)).isInstanceOfSatisfying(WebhookRefusal.class, refusal -> {
            assertThat(refusal.status()).isEqualTo(429);
            assertThat(refusal.retryAfterSeconds()).isEqualTo(1);
            third.setProperty(Exchange.EXCEPTION_CAUGHT, refusal);
        });
        limited.refused(third);
        assertThat(third.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(429);
        assertThat(third.getMessage().getHeader("Retry-After")).isEqualTo("1");
        assertThat(third.getMessage().getBody(String.class)).contains("at most 2 requests a second").doesNotContain("my-webhook-secret");
    }

    @Test
    void a_standard_webhooks_delivery_is_remembered_once_its_command_is_on_kafka_and_a_second_one_is_a_replay_or_a_conflict() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        Exchange first = standard("msg_1", now, BODY);
        requests.authenticate(first);
        assertThat(first.getProperty(WebhookGate.WEBHOOK_ID)).isEqualTo("msg_1");

        Exchange retry = standard("msg_1", now + 1, BODY);
        assertThatNoException().as("not remembered before its command is on Kafka").isThrownBy(() -> requests.authenticate(retry));
        first.setProperty(WebhookGate.COMMAND_ID, "msg_1");
        requests.delivered(first);

        Exchange replay = standard("msg_1", now + 2, BODY);
        assertThatThrownBy(() -> requests.authenticate(replay)).isInstanceOfSatisfying(WebhookReplay.class, seen -> {
            assertThat(seen.commandId()).isEqualTo("msg_1");
            replay.setProperty(Exchange.EXCEPTION_CAUGHT, seen);
        });
        requests.replayed(replay);
        assertThat(replay.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(202);
        assertThat(replay.getMessage().getBody(String.class)).startsWith("{\"commandId\":\"msg_1\",\"status\":\"accepted\",\"replay\":true");

        assertThatThrownBy(() -> requests.authenticate(standard("msg_1", now, "{\"email\":\"eve@example.com\"}".getBytes(StandardCharsets.UTF_8))))
            .isInstanceOfSatisfying(WebhookRefusal.class, refusal -> {
                assertThat(refusal.status()).isEqualTo(409);
                assertThat(refusal.errors().get(0).field()).isEqualTo("webhook-id");
            });
    }

    @Test
    void a_delivery_whose_command_did_not_reach_kafka_is_not_remembered_so_its_retry_is_carried_out() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        Exchange failed = standard("msg_2", now, BODY);
        requests.authenticate(failed);
        failed.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 503);

        assertThatNoException().isThrownBy(() -> requests.authenticate(standard("msg_2", now, BODY)));
    }

    private static WebhookRequests requests(int ratePerSecond) {
        Map<String, String> settings = Map.of("webhook.secret", "my-webhook-secret", "webhook.standard-secret", STANDARD_SECRET);
        WebhookAuth auth = WebhookAuth.fromSettings(key -> Optional.ofNullable(settings.get(key)), Clock.systemUTC());
        return new WebhookRequests(new WebhookGate(auth, ratePerSecond, new Metrics(new DefaultCamelContext())), new ObjectMapper());
    }

    private static Exchange signed(byte[] body) {
        Exchange exchange = request("application/json");
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature("my-webhook-secret", body));
        return exchange;
    }

    /** Signed here with the JDK's HMAC, not the Standard Webhooks library the server uses. */
    private static Exchange standard(String id, long timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(STANDARD_SECRET.substring(6)), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        Exchange exchange = request("application/json");
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/webhooks/registrations");
        exchange.getMessage().setHeader("webhook-id", id);
        exchange.getMessage().setHeader("webhook-timestamp", String.valueOf(timestamp));
        exchange.getMessage().setHeader("webhook-signature", "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body)));
        return exchange;
    }

    private static Exchange request(String contentType) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(BODY);
        if (contentType != null) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        }
        return exchange;
    }
}
