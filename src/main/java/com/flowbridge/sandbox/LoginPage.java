package com.flowbridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Everything outside {@code /api/v1} and {@code /sandbox}: the placeholder page behind the login links the
 * sandbox hands out (so a followed redirect lands somewhere), and 404 JSON for the rest.
 */
final class LoginPage {

    private LoginPage() {
    }

    static Routes routes() {
        return new Routes().on("GET", LoginLinks.PATH + "{token}", LoginPage::page);
    }

    private static Answer page(Call call, List<String> params) {
        String html = "<!doctype html><title>FLOW sandbox</title><p>FLOW sandbox: an attendee would join the session here.</p>";
        return Answer.bytes(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }
}
