package com.flowbridge.webhook;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookAuthTest {

    private static final byte[] BODY = "{\"email\":\"ada@example.com\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void the_signature_is_what_openssl_computes() {
        // printf '%s' '{"email":"ada@example.com"}' | openssl dgst -sha256 -hmac my-webhook-secret
        assertThat(WebhookAuth.signature("my-webhook-secret", BODY))
            .isEqualTo("sha256=45a5333ca5ec424107a4bd2669f2e245c0b83003713729645d5cfad6e34a619c");
    }

    @Test
    void a_valid_signature_of_the_exact_bytes_is_accepted_and_anything_else_refused() {
        WebhookAuth auth = new WebhookAuth("s3cret", null);
        String signature = WebhookAuth.signature("s3cret", BODY);

        assertThat(auth.isAuthentic(BODY, signature, null)).isTrue();
        assertThat(auth.isAuthentic(BODY, signature.toUpperCase().replace("SHA256=", "sha256="), null)).isTrue();
        assertThat(auth.isAuthentic("{\"email\":\"eve@example.com\"}".getBytes(StandardCharsets.UTF_8), signature, null)).isFalse();
        assertThat(auth.isAuthentic(BODY, WebhookAuth.signature("other", BODY), null)).isFalse();
        assertThat(auth.isAuthentic(BODY, "sha256=nothex", null)).isFalse();
        assertThat(auth.isAuthentic(BODY, signature.replace("sha256=", "sha1="), null)).isFalse();
        assertThat(auth.isAuthentic(BODY, null, null)).isFalse();
        assertThat(auth.isAuthentic(BODY, null, "Bearer s3cret")).as("the secret is not a token").isFalse();
    }

    @Test
    void a_bearer_token_is_accepted_only_when_one_is_configured() {
        assertThat(new WebhookAuth(null, "tok-123").isAuthentic(BODY, null, "Bearer tok-123")).isTrue();
        assertThat(new WebhookAuth(null, "tok-123").isAuthentic(BODY, null, "bearer tok-123")).isTrue();
        assertThat(new WebhookAuth(null, "tok-123").isAuthentic(BODY, null, "Bearer tok-124")).isFalse();
        assertThat(new WebhookAuth(null, "tok-123").isAuthentic(BODY, null, "Basic tok-123")).isFalse();
        assertThat(new WebhookAuth("s3cret", null).isAuthentic(BODY, null, "Bearer ")).isFalse();
    }

    @Test
    void with_nothing_configured_everything_is_refused() {
        WebhookAuth auth = new WebhookAuth(null, null);

        assertThat(auth.isAuthentic(BODY, WebhookAuth.signature("guess", BODY), "Bearer guess")).isFalse();
    }

    @Test
    void its_text_never_shows_the_secrets() {
        assertThat(new WebhookAuth("s3cret", "tok-123").toString()).doesNotContain("s3cret", "tok-123");
    }
}
