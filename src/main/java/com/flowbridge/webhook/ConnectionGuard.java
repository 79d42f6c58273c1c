package com.flowbridge.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.command.FieldError;
import com.flowbridge.observe.Metrics;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Keeps slow and idle clients of the webhook port from holding the server. Vert.x has no deadline for a request's
 * headers or body, so a client sending a byte now and then (slowloris) would keep its connection, and its buffers,
 * for ever. Here:
 * <ul>
 *   <li>at most {@code webhook.max-connections} connections are open at once; a connection beyond them is closed as
 *       soon as it opens;</li>
 *   <li>a connection has {@code webhook.header-timeout} to deliver a request's headers, counted from when it opened
 *       and from the end of each answer (so a kept-alive connection left idle is closed after that long too); then it
 *       is closed;</li>
 *   <li>a request has {@code webhook.body-timeout} from its headers to the last byte of its body; then it is answered
 *       408 and its connection closed (on HTTP/2, only its stream ends). It is never carried out.</li>
 * </ul>
 * The time a request takes once its body is in (Kafka, {@code ?wait=true}) is not limited here. Connections of other
 * ports (the management server) are left alone. Every timer runs on the connection's event loop; nothing blocks.
 */
public final class ConnectionGuard implements Handler<RoutingContext> {

    private final Vertx vertx;
    private final int port;
    private final int maxConnections;
    private final long headerTimeoutMs;
    private final long bodyTimeoutMs;
    private final Metrics metrics;
    private final String tooSlow;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<HttpConnection, Watch> watched = new ConcurrentHashMap<>();
    private final AtomicBoolean gauged = new AtomicBoolean();

    public ConnectionGuard(Vertx vertx, int port, int maxConnections, Duration headerTimeout, Duration bodyTimeout,
                           Metrics metrics, ObjectMapper mapper) {
        this.vertx = vertx;
        this.port = port;
        this.maxConnections = maxConnections;
        this.headerTimeoutMs = Math.max(1, headerTimeout.toMillis());
        this.bodyTimeoutMs = Math.max(1, bodyTimeout.toMillis());
        this.metrics = metrics;
        ObjectNode answer = mapper.createObjectNode();
        answer.set("errors", FieldError.toJson(List.of(new FieldError("body",
            "did not arrive within " + bodyTimeout.toMillis() / 1000.0 + " s of the headers"))));
        this.tooSlow = answer.toString();
    }

    /** The HTTP server's connection handler: every new connection, on its event loop. */
    void opened(HttpConnection connection) {
        if (connection.localAddress() == null || connection.localAddress().port() != port) {
            return;
        }
        gauge();
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            metrics.webhookRefused("connections");
            connection.close();
            return;
        }
        Watch watch = new Watch(connection);
        watched.put(connection, watch);
        connection.closeHandler(closed -> {
            watched.remove(connection);
            open.decrementAndGet();
            watch.cancel();
        });
        watch.awaitRequest();
    }

    /** First on the webhook server's router: a request's headers are in; its body has {@code webhook.body-timeout}. */
    @Override
    public void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        Watch watch = watched.get(request.connection());
        if (watch != null) {
            watch.requestStarted();
            context.addEndHandler(ended -> watch.requestEnded());
        }
        if (!request.isEnded()) {
            long timer = vertx.setTimer(bodyTimeoutMs, fired -> bodyTooSlow(context));
            context.addEndHandler(ended -> vertx.cancelTimer(timer));
        }
        context.next();
    }

    private void bodyTooSlow(RoutingContext context) {
        if (context.request().isEnded() || context.response().ended() || context.response().closed()) {
            return;
        }
        metrics.webhookRefused("body-timeout");
        boolean http2 = context.request().version() == HttpVersion.HTTP_2;
        context.response().setStatusCode(408).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (http2) {
            context.response().end(tooSlow);
            return;
        }
        HttpConnection connection = context.request().connection();
        context.response().putHeader(HttpHeaders.CONNECTION, "close").end(tooSlow).onComplete(written -> connection.close());
    }

    private void gauge() {
        if (gauged.compareAndSet(false, true)) {
            Gauge.builder("flowbridge.webhook.connections", open, AtomicInteger::get)
                .description("Connections open on the webhook port").register(metrics.registry());
        }
    }

    /** One connection's deadline for its next request's headers, armed while it has no request under way. */
    private final class Watch {
        private final HttpConnection connection;
        private int active;
        private long timer = -1;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        void awaitRequest() {
            cancel();
            timer = vertx.setTimer(headerTimeoutMs, fired -> {
                timer = -1;
                if (active == 0) {
                    metrics.webhookRefused("header-timeout");
                    connection.close();
                }
            });
        }

        void requestStarted() {
            active++;
            cancel();
        }

        void requestEnded() {
            active = Math.max(0, active - 1);
            if (active == 0) {
                awaitRequest();
            }
        }

        void cancel() {
            if (timer != -1) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
