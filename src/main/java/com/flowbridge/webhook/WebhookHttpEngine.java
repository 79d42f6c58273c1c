package com.flowbridge.webhook;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * Camel's platform-http engine (Vert.x), told which server the webhook routes belong to. With the management
 * server also running (health and metrics on their own port), Camel 4.17's engine cannot tell the two servers
 * apart and assumes port 8080, so webhook routes fail to start on any other {@code webhook.port}. Bound as
 * {@code platform-http-engine}, this engine names the webhook port itself.
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
