package com.flowbridge.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>}, keyed with a {@code WEBHOOK_SECRET} (UTF-8), as
 * GitHub signs. It signs the body only: a captured request stays valid for ever (what a replay can do is bounded by
 * the commandId's memory), which is why Standard Webhooks is preferred and this scheme can be switched off.
 */
final class BodySignatureScheme implements CredentialScheme {

    static final String NAME = "x-signature-256";
    static final String HEADER = "X-Signature-256";
    private static final String PREFIX = "sha256=";

    private record Key(String id, byte[] secret) {
    }

    private final List<Key> keys;

    BodySignatureScheme(List<String> secrets) {
        this.keys = secrets.stream().map(secret -> new Key(KeyId.of(secret), secret.getBytes(StandardCharsets.UTF_8))).toList();
    }

    /** The header value a sender puts in {@value #HEADER} for {@code body} signed with {@code secret}. */
    static String signature(String secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String header() {
        return HEADER;
    }

    @Override
    public String required() {
        return "a valid signature (sha256=<hex HMAC-SHA256 of the body>) is required, or another credential named here";
    }

    @Override
    public List<String> keyIds() {
        return keys.stream().map(Key::id).toList();
    }

    @Override
    public Verdict verify(byte[] body, Function<String, String> headers, Instant now) {
        String header = headers.apply(HEADER).trim();
        byte[] given = null;
        if (header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            try {
                given = HexFormat.of().parseHex(header.substring(PREFIX.length()).trim().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException notHex) {
                // refused below
            }
        }
        if (given == null || given.length != 32) {
            return Verdict.refused(HEADER, "must be sha256=<64 hex digits: the HMAC-SHA256 of the body>");
        }
        for (Key key : keys) {
            if (MessageDigest.isEqual(hmac(key.secret(), body), given)) {
                return Verdict.accepted(new Credential(NAME, key.id(), null));
            }
        }
        return Verdict.refused(HEADER, "does not match the body with any secret this server accepts: sign the body "
            + "byte for byte (HMAC-SHA256, hex)");
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
}
