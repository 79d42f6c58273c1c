package com.flowbridge.sandbox;

/**
 * The attendee login links the sandbox hands out, {@code http://<host>:<port>/login/<token>}; they lead to
 * the sandbox's own placeholder login page.
 */
record LoginLinks(String base) {

    static final String PATH = "/login/";

    static LoginLinks forOrigin(String origin) {
        return new LoginLinks(origin + PATH);
    }

    String random() {
        return base + RandomTokens.next(24);
    }

    String forToken(String token) {
        return base + token;
    }
}
