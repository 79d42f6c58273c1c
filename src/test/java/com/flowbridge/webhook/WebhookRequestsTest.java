package com.flowbridge.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
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
    private final WebhookRequests requests = new WebhookRequests(
        WebhookAuth.fromSettings(key -> key.equals("webhook.secret") ? Optional.of("my-webhook-secret") : Optional.empty()),
        new ObjectMapper());

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

    private static Exchange request(String contentType) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(BODY);
        if (contentType != null) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        }
        return exchange;
    }
}
