package com.flowbridge.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of a webhook key in metrics and logs, never the key: the first 8 hex digits of the SHA-256 of the secret
 * or token exactly as configured ({@code printf '%s' "$SECRET" | sha256sum | cut -c1-8}). Eight hex digits tell an
 * operator's keys apart and say nothing usable about a random key (use long random keys: a short, guessable token
 * could be confirmed against its id by trying guesses).
 */
final class KeyId {

    private KeyId() {
    }

    static String of(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
