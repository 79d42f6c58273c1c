package com.flowbridge.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.flowbridge.SecretSetting;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may send to the webhook: a request signed with {@code WEBHOOK_SECRET}
 * ({@code X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>}) or, for CRMs that cannot sign, one carrying
 * {@code Authorization: Bearer <WEBHOOK_TOKEN>}. It is checked on the raw bytes, before anything parses them, and
 * every comparison takes the same time whatever it compares, so timing tells an attacker nothing.
 * With neither secret nor token configured, every request is refused.
 */
public final class WebhookAuth {

    public static final String SIGNATURE_HEADER = "X-Signature-256";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookAuth.class);
    private static final String SIGNATURE_PREFIX = "sha256=";
    private static final String BEARER_PREFIX = "bearer ";

    private final byte[] secret;
    private final byte[] token;

    WebhookAuth(String secret, String token) {
        this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** From {@code webhook.secret} / {@code webhook.secret-file} and {@code webhook.token} / {@code webhook.token-file}. */
    public static WebhookAuth fromSettings(Function<String, Optional<String>> settings) {
        WebhookAuth auth = new WebhookAuth(SecretSetting.resolve(settings, "webhook.secret").orElse(null),
            SecretSetting.resolve(settings, "webhook.token").orElse(null));
        if (auth.secret == null && auth.token == null) {
            LOG.warn("Neither WEBHOOK_SECRET nor WEBHOOK_TOKEN is set: the webhook refuses every request (401)");
        }
        return auth;
    }

    /** Whether the request carries a valid signature of {@code body} or the valid bearer token. */
    public boolean isAuthentic(byte[] body, String signatureHeader, String authorizationHeader) {
        return validSignature(body, signatureHeader) || validToken(authorizationHeader);
    }

    /** For routes: whether the exchange's raw body and headers are authentic. */
    public boolean isAuthentic(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        return isAuthentic(body == null ? new byte[0] : body,
            exchange.getMessage().getHeader(SIGNATURE_HEADER, String.class),
            exchange.getMessage().getHeader("Authorization", String.class));
    }

    /** The header value a sender puts in {@value #SIGNATURE_HEADER} for {@code body} signed with {@code secret}. */
    public static String signature(String secret, byte[] body) {
        return SIGNATURE_PREFIX + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    private boolean validSignature(byte[] body, String header) {
        if (secret == null || header == null || !header.regionMatches(true, 0, SIGNATURE_PREFIX, 0, SIGNATURE_PREFIX.length())) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring(SIGNATURE_PREFIX.length()).trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(hmac(secret, body), given);
    }

    private boolean validToken(String header) {
        if (token == null || header == null || !header.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
            return false;
        }
        byte[] given = header.substring(BEARER_PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, given);
    }

    private static byte[] hmac(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookAuth[secret=" + (secret == null ? "none" : "***") + ", token=" + (token == null ? "none" : "***") + "]";
    }
}
