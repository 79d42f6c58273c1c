package com.flowbridge.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * {@code Authorization: Bearer <token>}, for CRMs that cannot sign. The token travels with every request and proves
 * nothing about the body: prefer a signature where the sender can make one, and use long random tokens. Tokens are
 * compared by their SHA-256, so that the comparison takes the same time whatever the length of what was sent.
 */
final class BearerTokenScheme implements CredentialScheme {

    static final String NAME = "bearer-token";
    static final String HEADER = "Authorization";
    private static final String PREFIX = "bearer ";

    private record Key(String id, byte[] digest) {
    }

    private final List<Key> keys;

    BearerTokenScheme(List<String> tokens) {
        this.keys = tokens.stream().map(token -> new Key(KeyId.of(token), sha256(token))).toList();
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
        return "Bearer <token> is required, or another credential named here";
    }

    @Override
    public List<String> keyIds() {
        return keys.stream().map(Key::id).toList();
    }

    @Override
    public Verdict verify(byte[] body, Function<String, String> headers, Instant now) {
        String header = headers.apply(HEADER).trim();
        if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || header.substring(PREFIX.length()).isBlank()) {
            return Verdict.refused(HEADER, "must be Bearer <token>: no other authentication is accepted");
        }
        byte[] given = sha256(header.substring(PREFIX.length()).trim());
        for (Key key : keys) {
            if (MessageDigest.isEqual(key.digest(), given)) {
                return Verdict.accepted(new Credential(NAME, key.id(), null));
            }
        }
        return Verdict.refused(HEADER, "is not a bearer token this server accepts");
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
