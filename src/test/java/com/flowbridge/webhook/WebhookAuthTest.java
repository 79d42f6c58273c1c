package com.flowbridge.webhook;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.flowbridge.command.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookAuthTest {

    private static final byte[] BODY = "{\"email\":\"ada@example.com\"}".getBytes(StandardCharsets.UTF_8);

    // The example of the Standard Webhooks documentation (Svix's), computed by its authors, not by this code.
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330;
    private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @TempDir
    Path dir;

    @Test
    void the_x_signature_256_signature_is_what_openssl_computes() {
        // printf '%s' '{"email":"ada@example.com"}' | openssl dgst -sha256 -hmac my-webhook-secret
        assertThat(WebhookAuth.signature("my-webhook-secret", BODY))
            .isEqualTo("sha256=45a5333ca5ec424107a4bd2669f2e245c0b83003713729645d5cfad6e34a619c");
    }

    @Test
    void the_standard_webhooks_example_of_the_specification_is_accepted_and_its_webhook_id_kept() {
        WebhookAuth auth = auth(Map.of("webhook.standard-secret", SPEC_SECRET), SPEC_TIMESTAMP + 10);

        Credential credential = auth.authenticate(SPEC_BODY, standard(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE));

        assertThat(credential).isEqualTo(new Credential("standard-webhooks", KeyId.of(SPEC_SECRET), SPEC_ID));
        assertThat(credential.keyId()).hasSize(8).isNotEqualTo(SPEC_SECRET);
    }

    @Test
    void a_timestamp_outside_the_tolerance_either_way_is_refused_saying_so_however_well_signed() {
        WebhookAuth auth = auth(Map.of("webhook.standard-secret", SPEC_SECRET, "webhook.timestamp-tolerance", "5m"), SPEC_TIMESTAMP);

        assertThat(auth.authenticate(SPEC_BODY, standard(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE))).isNotNull();
        assertThat(refusal(auth(Map.of("webhook.standard-secret", SPEC_SECRET), SPEC_TIMESTAMP + 301), SPEC_BODY,
            standard(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE)))
            .isEqualTo(new FieldError("webhook-timestamp", "is 301 s in the past by this server's clock; at most 300 s either way "
                + "is accepted: the request is too old (a replay, or a delivery held up) or the sender's clock is behind"));
        assertThat(refusal(auth(Map.of("webhook.standard-secret", SPEC_SECRET), SPEC_TIMESTAMP - 400), SPEC_BODY,
            standard(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE)).message()).startsWith("is 400 s in the future");
        assertThat(auth(Map.of("webhook.standard-secret", SPEC_SECRET), SPEC_TIMESTAMP + 300)
            .authenticate(SPEC_BODY, standard(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE))).as("exactly the tolerance").isNotNull();
        assertThat(auth(Map.of("webhook.standard-secret", SPEC_SECRET, "webhook.timestamp-tolerance", "20m"), SPEC_TIMESTAMP + 1100)
            .authenticate(SPEC_BODY, standard(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE))).as("a wider tolerance").isNotNull();
    }

    @Test
    void one_matching_entry_among_many_others_versions_and_non_base64_ones_is_enough() {
        WebhookAuth auth = auth(Map.of("webhook.standard-secret", SPEC_SECRET), SPEC_TIMESTAMP);
        String entries = "v1,bm90IGl0 v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,***not-base64*** garbage v2,x "
            + "v1,".repeat(100) + " " + SPEC_SIGNATURE + "   v1,AAAA";

        assertThat(auth.authenticate(SPEC_BODY, standard(SPEC_ID, SPEC_TIMESTAMP, entries)).webhookId()).isEqualTo(SPEC_ID);
        assertThat(refusal(auth, SPEC_BODY, standard(SPEC_ID, SPEC_TIMESTAMP, "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")))
            .isEqualTo(new FieldError("webhook-signature", "has no v1,<base64> entry"));
    }

    @Test
    void another_body_id_or_timestamp_than_the_one_signed_is_refused() {
        WebhookAuth auth = auth(Map.of("webhook.standard-secret", SPEC_SECRET), SPEC_TIMESTAMP);

        assertThat(refusal(auth, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8), standard(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE))
            .field()).isEqualTo("webhook-signature");
        assertThat(refusal(auth, SPEC_BODY, standard("msg_other", SPEC_TIMESTAMP, SPEC_SIGNATURE)).field()).isEqualTo("webhook-signature");
        assertThat(refusal(auth, SPEC_BODY, standard(SPEC_ID, SPEC_TIMESTAMP + 1, SPEC_SIGNATURE)).field()).isEqualTo("webhook-signature");
        assertThat(refusal(auth(Map.of("webhook.standard-secret", "whsec_" + "b3RoZXItc2VjcmV0"), SPEC_TIMESTAMP), SPEC_BODY,
            standard(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE)).message()).startsWith("matches no secret this server accepts");
    }

    @Test
    void malformed_standard_webhooks_headers_are_refused_naming_the_header() {
        WebhookAuth auth = auth(Map.of("webhook.standard-secret", SPEC_SECRET), SPEC_TIMESTAMP);
        Map<String, String> headers = new HashMap<>(Map.of("webhook-id", SPEC_ID, "webhook-signature", SPEC_SIGNATURE));

        assertThat(refusal(auth, SPEC_BODY, headers::get).field()).isEqualTo("webhook-timestamp");
        assertThat(refusal(auth, SPEC_BODY, standard(SPEC_ID, "1614265330.5", SPEC_SIGNATURE)))
            .isEqualTo(new FieldError("webhook-timestamp", "must be a Unix time in whole seconds"));
        assertThat(refusal(auth, SPEC_BODY, standard(SPEC_ID, "2021-02-25T15:02:10Z", SPEC_SIGNATURE)).field()).isEqualTo("webhook-timestamp");
        assertThat(refusal(auth, SPEC_BODY, standard("x".repeat(201), String.valueOf(SPEC_TIMESTAMP), SPEC_SIGNATURE)))
            .isEqualTo(new FieldError("webhook-id", "must be 1 to 200 visible ASCII characters"));
        assertThat(refusal(auth, SPEC_BODY, standard("msg 1", String.valueOf(SPEC_TIMESTAMP), SPEC_SIGNATURE)).field()).isEqualTo("webhook-id");
    }

    @Test
    void during_a_rotation_every_configured_key_of_every_scheme_is_accepted_and_named_by_its_own_id() {
        String newer = "whsec_" + java.util.Base64.getEncoder().encodeToString("fake-newer-standard-secret".getBytes(StandardCharsets.UTF_8));
        WebhookAuth auth = auth(Map.of("webhook.standard-secret", newer + " , " + SPEC_SECRET,
            "webhook.secret", "fake-old-secret,fake-new-secret", "webhook.token", "fake-old-token, fake-new-token"), SPEC_TIMESTAMP);

        assertThat(auth.authenticate(SPEC_BODY, standard(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE)).keyId()).isEqualTo(KeyId.of(SPEC_SECRET));
        assertThat(auth.authenticate(BODY, header("X-Signature-256", WebhookAuth.signature("fake-old-secret", BODY))).keyId())
            .isEqualTo(KeyId.of("fake-old-secret"));
        assertThat(auth.authenticate(BODY, header("X-Signature-256", WebhookAuth.signature("fake-new-secret", BODY))).keyId())
            .isEqualTo(KeyId.of("fake-new-secret"));
        assertThat(auth.authenticate(BODY, header("Authorization", "Bearer fake-new-token")))
            .isEqualTo(new Credential("bearer-token", KeyId.of("fake-new-token"), null));
        assertThat(auth.describe()).contains("standard-webhooks 2 keys [" + KeyId.of(newer) + ", " + KeyId.of(SPEC_SECRET) + "]")
            .doesNotContain(SPEC_SECRET, "fake-old-secret", "fake-new-token");
    }

    @Test
    void x_signature_256_accepts_the_exact_bytes_only() {
        WebhookAuth auth = auth(Map.of("webhook.secret", "s3cret"), 0);
        String signature = WebhookAuth.signature("s3cret", BODY);

        assertThat(auth.authenticate(BODY, header("X-Signature-256", signature)).scheme()).isEqualTo("x-signature-256");
        assertThat(auth.authenticate(BODY, header("X-Signature-256", signature.toUpperCase().replace("SHA256=", "sha256=")))).isNotNull();
        assertThat(refusal(auth, "{\"email\":\"eve@example.com\"}".getBytes(StandardCharsets.UTF_8), header("X-Signature-256", signature))
            .message()).startsWith("does not match the body");
        assertThat(refusal(auth, BODY, header("X-Signature-256", "sha256=nothex")).message()).startsWith("must be sha256=");
        assertThat(refusal(auth, BODY, header("X-Signature-256", signature.replace("sha256=", "sha1="))).field()).isEqualTo("X-Signature-256");
        assertThat(refusal(auth, BODY, header("Authorization", "Bearer s3cret")).field()).as("the secret is not a token")
            .isEqualTo("Authorization");
    }

    @Test
    void a_bearer_token_is_accepted_only_when_one_is_configured() {
        WebhookAuth auth = auth(Map.of("webhook.token", "tok-123"), 0);

        assertThat(auth.authenticate(BODY, header("Authorization", "Bearer tok-123"))).isNotNull();
        assertThat(auth.authenticate(BODY, header("Authorization", "bearer tok-123"))).isNotNull();
        assertThat(refusal(auth, BODY, header("Authorization", "Bearer tok-124")).message()).isEqualTo("is not a bearer token this server accepts");
        assertThat(refusal(auth, BODY, header("Authorization", "Basic tok-123")).message()).startsWith("must be Bearer <token>");
        assertThat(refusal(auth(Map.of("webhook.secret", "s3cret"), 0), BODY, header("Authorization", "Bearer ")).field())
            .isEqualTo("Authorization");
    }

    @Test
    void a_scheme_switched_off_accepts_nothing_even_with_its_key_and_says_so() {
        WebhookAuth auth = auth(Map.of("webhook.secret", "s3cret", "webhook.x-signature-256-enabled", "false",
            "webhook.token", "tok-123", "webhook.bearer-token-enabled", "false", "webhook.standard-secret", SPEC_SECRET), SPEC_TIMESTAMP);

        assertThat(refusal(auth, BODY, header("X-Signature-256", WebhookAuth.signature("s3cret", BODY))))
            .isEqualTo(new FieldError("X-Signature-256", "is not accepted by this server"));
        assertThat(refusal(auth, BODY, header("Authorization", "Bearer tok-123")))
            .isEqualTo(new FieldError("Authorization", "is not accepted by this server"));
        assertThat(auth.authenticate(SPEC_BODY, standard(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE))).isNotNull();
        assertThat(auth.describe()).contains("x-signature-256 switched off", "bearer-token switched off");
    }

    @Test
    void a_request_without_any_credential_is_told_what_each_accepted_scheme_requires() {
        WebhookAuth auth = auth(Map.of("webhook.secret", "s3cret", "webhook.standard-secret", SPEC_SECRET), 0);

        assertThatThrownBy(() -> auth.authenticate(BODY, name -> null)).isInstanceOfSatisfying(WebhookRefusal.class, refused -> {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.errors()).extracting(FieldError::field).containsExactly("webhook-signature", "X-Signature-256");
            assertThat(refused.errors()).allSatisfy(error -> assertThat(error.message()).contains("required"));
        });
    }

    @Test
    void with_nothing_configured_everything_is_refused() {
        WebhookAuth auth = auth(Map.of(), 0);

        assertThat(auth.acceptsAny()).isFalse();
        assertThat(refusal(auth, BODY, header("X-Signature-256", WebhookAuth.signature("guess", BODY))))
            .isEqualTo(new FieldError("X-Signature-256", "is not accepted by this server"));
        assertThat(refusal(auth, BODY, name -> null).message()).contains("accepts no credential");
    }

    @Test
    void a_secret_that_is_not_whsec_base64_stops_start_up_naming_its_place_not_its_value() {
        assertThatThrownBy(() -> auth(Map.of("webhook.standard-secret", SPEC_SECRET + ",not-a-whsec-secret"), 0))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("WEBHOOK_STANDARD_SECRET entry 2 of 2 is not a Standard Webhooks secret (whsec_ followed by base64)");
        assertThatThrownBy(() -> auth(Map.of("webhook.standard-secret", "whsec_***"), 0)).hasMessageNotContaining("***");
        assertThatThrownBy(() -> auth(Map.of("webhook.timestamp-tolerance", "soon"), 0)).hasMessageContaining("WEBHOOK_TIMESTAMP_TOLERANCE");
    }

    @Test
    void keys_in_files_are_one_per_line_and_read_again_on_reload_the_old_ones_kept_when_a_file_is_unusable() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "fake-old-token\r\n\n");
        WebhookAuth auth = auth(Map.of("webhook.token-file", tokens.toString()), 0);
        assertThat(auth.reloadable()).isTrue();
        assertThat(auth.authenticate(BODY, header("Authorization", "Bearer fake-old-token"))).isNotNull();

        Files.writeString(tokens, "fake-old-token\nfake, new token\n");
        assertThat(auth.reload()).isTrue();
        assertThat(auth.reload()).as("unchanged").isFalse();
        assertThat(auth.authenticate(BODY, header("Authorization", "Bearer fake, new token")).keyId())
            .as("a comma belongs to the token in a file").isEqualTo(KeyId.of("fake, new token"));

        Files.writeString(tokens, "fake, new token\n");
        assertThat(auth.reload()).isTrue();
        assertThat(refusal(auth, BODY, header("Authorization", "Bearer fake-old-token")).field()).isEqualTo("Authorization");

        Files.writeString(tokens, "\n");
        assertThat(auth.reload()).as("an empty file is a mistake").isFalse();
        Files.delete(tokens);
        assertThat(auth.reload()).isFalse();
        assertThat(auth.authenticate(BODY, header("Authorization", "Bearer fake, new token"))).as("the keys in use stay").isNotNull();
    }

    @Test
    void its_text_never_shows_the_secrets() {
        assertThat(auth(Map.of("webhook.secret", "s3cret", "webhook.token", "tok-123", "webhook.standard-secret", SPEC_SECRET), 0)
            .toString()).doesNotContain("s3cret", "tok-123", SPEC_SECRET, SPEC_SECRET.substring(6));
    }

    // ----

    private static WebhookAuth auth(Map<String, String> settings, long nowSeconds) {
        return WebhookAuth.fromSettings(key -> Optional.ofNullable(settings.get(key)),
            Clock.fixed(Instant.ofEpochSecond(nowSeconds), ZoneOffset.UTC));
    }

    private static FieldError refusal(WebhookAuth auth, byte[] body, java.util.function.Function<String, String> headers) {
        try {
            auth.authenticate(body, headers);
        } catch (WebhookRefusal refused) {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.errors()).hasSize(1);
            return refused.errors().get(0);
        }
        throw new AssertionError("accepted");
    }

    private static java.util.function.Function<String, String> standard(String id, long timestamp, String signature) {
        return standard(id, String.valueOf(timestamp), signature);
    }

    private static java.util.function.Function<String, String> standard(String id, String timestamp, String signature) {
        Map<String, String> headers = Map.of("webhook-id", id, "webhook-timestamp", timestamp, "webhook-signature", signature);
        return headers::get;
    }

    private static java.util.function.Function<String, String> header(String name, String value) {
        return Map.of(name, value)::get;
    }
}
