package com.flowbridge.sandbox;

import java.security.SecureRandom;

/** Random identifiers in FLOW's style (lower-case letters and digits) for new sessions, events and login links. */
final class RandomTokens {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomTokens() {
    }

    static String next(int length) {
        StringBuilder token = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            token.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return token.toString();
    }
}
