package com.flowbridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The account key FLOW expects in the {@code api-secret} header. Never logged, never recorded. */
final class ApiSecret {

    static final String HEADER = "api-secret";

    private final byte[] expected;

    ApiSecret(String secret) {
        this.expected = secret.getBytes(StandardCharsets.UTF_8);
    }

    static boolean isPresent(Call call) {
        return call.header(HEADER) != null;
    }

    boolean isValid(Call call) {
        String presented = call.header(HEADER);
        // Constant-time comparison, as a real server should do it.
        return presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ApiSecret[hidden]";
    }
}
