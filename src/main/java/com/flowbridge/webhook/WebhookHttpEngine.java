package com.flowbridge.webhook;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.command.FieldError;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Camel's platform-http engine (Vert.x), told which server the webhook routes belong to. With the management
 * server also running (health and metrics on their own port), Camel 4.17's engine cannot tell the two servers
 * apart and assumes port 8080, so webhook routes fail to start on any other {@code webhook.port}. Bound as
 * {@code platform-http-engine}, this engine names the webhook port itself.
 * <p>
 * It also answers bodies over {@code webhook.max-body-bytes}, which the HTTP server refuses before any route sees
 * them, the way every other refusal is answered: 413 with {@code {"errors":[{"field":"body","message":...}]}}
 * naming the limit, instead of Vert.x's plain text. An HTTP/1.x connection is closed after it, saying so, once the
 * client has sent the rest of the body (which is dropped unread) or {@link #LINGER_MS} have passed; on HTTP/2 only the
 * request's stream ends.
 * <p>
 * And it puts the webhook port's limits in front of every route on it: the {@link ConnectionGuard} first on the
 * server's router (deadlines for headers and bodies), the {@link InFlightLimit} between the body and the route.
 */
public final class WebhookHttpEngine extends VertxPlatformHttpEngine {

    /**
     * How long a connection answered 413 stays open for the client to finish sending. Closed while the client still
     * sends, the client's TCP stack gets a reset, which throws the 413 away before the client has read it (seen with
     * 10 MB bodies: "header parser received no bytes").
     */
    private static final long LINGER_MS = 5_000;

    private final int port;
    private final String tooLarge;
    private final ConnectionGuard guard;
    private boolean routerPrepared;

    public WebhookHttpEngine(int port, int maxBodyBytes, ObjectMapper mapper, ConnectionGuard guard, InFlightLimit inFlight) {
        this.port = port;
        this.guard = guard;
        setHandlers(List.of(inFlight)); // each route's handlers after its body handler, before the route itself
        ObjectNode answer = mapper.createObjectNode();
        answer.set("errors", FieldError.toJson(List.of(new FieldError("body", "must be at most " + maxBodyBytes + " bytes"))));
        this.tooLarge = answer.toString();
    }

    @Override
    public int getServerPort() {
        return port;
    }

    /**
     * Prepares the webhook server's router once, before its first route (the server exists by then): the connection
     * guard before anything else, the 413 answer.
     */
    @Override
    public synchronized PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        if (!routerPrepared) {
            VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(getCamelContext(),
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
            router.route().order(Integer.MIN_VALUE).handler(guard);
            router.route().failureHandler(this::tooLarge);
            routerPrepared = true;
        }
        return super.createConsumer(endpoint, processor);
    }

    private void tooLarge(RoutingContext context) {
        if (context.statusCode() != 413 || context.response().ended()) {
            context.next();
            return;
        }
        HttpServerResponse response = context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (context.request().version() == HttpVersion.HTTP_2) {
            response.end(tooLarge); // the stream ends; the connection carries other requests
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close").end(tooLarge);
        HttpServerRequest request = context.request();
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        // The body handler keeps reading and dropping what arrives; replacing its end handler is safe, as it has failed.
        long linger = context.vertx().setTimer(LINGER_MS, expired -> request.connection().close());
        request.endHandler(sent -> {
            context.vertx().cancelTimer(linger);
            request.connection().close();
        });
    }
}
