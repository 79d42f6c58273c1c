package com.flowbridge.observe;

import java.time.Duration;

import com.flowbridge.flow.FlowBudget;
import com.flowbridge.flow.FlowPriority;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;

/**
 * flow-bridge's own metrics, on the registry Camel exposes at {@code /observe/metrics} (Prometheus format):
 * FLOW calls by endpoint and status, retries, refusals (429), the shared FLOW budget (rate, concurrency, waits), dead
 * letters, command latency. Kafka's own client metrics (records sent per topic, consumer lag) are bound by
 * {@link MeteredKafkaClients}; poll cycle durations are Camel's route metrics of the poll routes
 * ({@code camel_route_policy_seconds{routeId=...}}).
 * Labels carry names (endpoints, topics, flows), never values from messages or settings.
 */
public final class Metrics {

    private final CamelContext context;
    private volatile MeterRegistry registry;

    public Metrics(CamelContext context) {
        this.context = context;
    }

    /** A FLOW call answered (any HTTP status) or not ({@code status} "none"). */
    public void flowCall(String endpoint, String status) {
        Counter.builder("flowbridge.flow.calls").description("HTTP requests to FLOW, by endpoint and status")
            .tag("endpoint", endpoint).tag("status", status).register(registry()).increment();
    }

    public void flowRetry(String endpoint, String reason) {
        Counter.builder("flowbridge.flow.retries").description("FLOW requests retried, by endpoint and reason")
            .tag("endpoint", endpoint).tag("reason", reason).register(registry()).increment();
    }

    /** How long a FLOW request waited for its turn in the shared budget (commands, polls, reports). */
    public void rateLimitWait(String priority, Duration waited) {
        Timer.builder("flowbridge.flow.rate.limit.wait").description("Time FLOW requests waited for the shared budget, by priority")
            .tag("priority", priority).register(registry()).record(waited);
    }

    /** FLOW answered 429: it wants fewer requests. */
    public void flowRefused(String endpoint) {
        Counter.builder("flowbridge.flow.refused").description("FLOW requests refused by FLOW with 429 Too Many Requests, by endpoint")
            .tag("endpoint", endpoint).register(registry()).increment();
    }

    /** The shared FLOW budget's current limits, read when the metrics are scraped. */
    public void flowBudget(FlowBudget budget) {
        MeterRegistry meters = registry();
        Gauge.builder("flowbridge.flow.rate.limit", budget, FlowBudget::allowedRate)
            .description("Requests a second flow-bridge allows itself to send FLOW now (learned; at most flow.api.rate-limit)")
            .strongReference(true).register(meters);
        Gauge.builder("flowbridge.flow.rate.learned", budget, FlowBudget::learnedRate)
            .description("Requests a second at which FLOW last pushed back while serving most requests (NaN: none yet)")
            .strongReference(true).register(meters);
        Gauge.builder("flowbridge.flow.concurrency.limit", budget, FlowBudget::concurrencyLimit)
            .description("FLOW requests allowed in flight at once now (Gradient2, at most flow.api.concurrency-limit)")
            .strongReference(true).register(meters);
        Gauge.builder("flowbridge.flow.in.flight", budget, FlowBudget::inFlight)
            .description("FLOW requests sent and not answered yet").strongReference(true).register(meters);
        for (FlowPriority priority : FlowPriority.values()) {
            Gauge.builder("flowbridge.flow.waiting", budget, b -> b.waiting(priority))
                .description("FLOW requests waiting for their turn in the shared budget, by priority")
                .tag("priority", priority.label()).strongReference(true).register(meters);
        }
    }

    public void deadLetter(String topic) {
        Counter.builder("flowbridge.dead.letters").description("Records sent to a dead-letter topic")
            .tag("topic", topic).register(registry()).increment();
    }

    /** From a command's arrival to its outcome being written. */
    public void commandLatency(String kind, String status, Duration took) {
        Timer.builder("flowbridge.command.latency").description("Command arrival to outcome written, by kind and status")
            .tag("kind", kind).tag("status", status).register(registry()).record(took);
    }

    public MeterRegistry registry() {
        MeterRegistry current = registry;
        if (current == null) {
            synchronized (this) {
                if (registry == null) {
                    // Camel's Prometheus registry once Camel has started it; a private one where metrics are off (some tests).
                    MeterRegistry camels = context.getRegistry().findSingleByType(MeterRegistry.class);
                    registry = camels != null ? camels : new SimpleMeterRegistry();
                }
                current = registry;
            }
        }
        return current;
    }
}
