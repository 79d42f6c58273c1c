package com.flowbridge.webhook;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine of the webhook endpoints, bound to the webhook server's port. Camel Main runs two Vert.x
 * servers (webhooks on {@code webhook.port}, health and metrics on {@code management.port}); the stock engine then
 * cannot tell which one a {@code platform-http:} route belongs to and assumes port 8080, so any other webhook port
 * fails at start-up ("No PlatformHttpEngine created and setup in registry with name: platform-http-router-8080").
 * Webhook routes name this engine: {@code platformHttpEngine: "#webhookHttpEngine"}.
 */
public final class WebhookHttpEngine extends VertxPlatformHttpEngine {

    private final int port;

    public WebhookHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
