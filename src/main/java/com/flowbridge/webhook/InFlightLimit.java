package com.flowbridge.webhook;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.command.FieldError;
import com.flowbridge.observe.Metrics;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * At most {@code webhook.max-in-flight} requests of the webhook port carried out at once, all endpoints together
 * (resilience4j's bulkhead): a request over it is answered 429 with {@code Retry-After: 1} at once, instead of
 * queueing for a worker thread. It counts from the moment a request's body is in to its answer; a request still
 * sending its body holds nothing here (its time is {@link ConnectionGuard}'s to limit). A request already answered
 * while its body was arriving (408) stops here, never carried out.
 */
public final class InFlightLimit implements Handler<RoutingContext> {

    private final Bulkhead bulkhead;
    private final int most;
    private final Metrics metrics;
    private final String full;
    private final AtomicBoolean gauged = new AtomicBoolean();

    public InFlightLimit(int most, Metrics metrics, ObjectMapper mapper) {
        this.most = most;
        this.bulkhead = Bulkhead.of("webhook", BulkheadConfig.custom().maxConcurrentCalls(most).maxWaitDuration(Duration.ZERO).build());
        this.metrics = metrics;
        ObjectNode answer = mapper.createObjectNode();
        answer.set("errors", FieldError.toJson(List.of(new FieldError(null, "flow-bridge is carrying out " + most
            + " requests, its most at once; send this one again in a second"))));
        this.full = answer.toString();
    }

    @Override
    public void handle(RoutingContext context) {
        if (context.response().ended() || context.response().closed()) {
            return;
        }
        gauge();
        if (!bulkhead.tryAcquirePermission()) {
            metrics.webhookRefused("in-flight");
            context.response().setStatusCode(429).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Retry-After", "1").end(full);
            return;
        }
        context.addEndHandler(ended -> bulkhead.onComplete());
        context.next();
    }

    private void gauge() {
        if (gauged.compareAndSet(false, true)) {
            Gauge.builder("flowbridge.webhook.in.flight", bulkhead, b -> most - b.getMetrics().getAvailableConcurrentCalls())
                .description("Webhook requests being carried out").register(metrics.registry());
        }
    }
}
