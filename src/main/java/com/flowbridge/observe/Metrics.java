package com.flowbridge.observe;

import java.time.Duration;
import java.util.function.ToDoubleFunction;

import com.flowbridge.flow.FlowBudget;
import com.flowbridge.flow.FlowPriority;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;

/**
 * flow-bridge's own metrics, on the registry Camel exposes at {@code /observe/metrics} (Prometheus format):
 * FLOW calls by endpoint and status, retries, refusals (429), the shared FLOW budget (rate, concurrency, waits), dead
 * letters, command latency, webhook requests by key and refusals (and the webhook server's gauges,
 * {@code ConnectionGuard}). Kafka's own client metrics (records sent per topic, consumer lag) are bound by
 * {@link MeteredKafkaClients}; poll cycle durations are Camel's route metrics of the poll routes
 * ({@code camel_route_policy_seconds{routeId=...}}).
 * Labels carry names (endpoints, topics, flows), never values from messages or settings.
 */
public final class Metrics {

    /**
     * Histogram buckets of {@code flowbridge_command_latency_seconds} (its {@code _bucket{le=...}} series), so that
     * Prometheus can compute quantiles ({@code histogram_quantile}) across instances and alert on them: from a fast
     * rejection (milliseconds) to a command that used up its retry budget (minutes).
     */
    static final Duration[] COMMAND_LATENCY_BUCKETS = {
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
        Duration.ofMinutes(2), Duration.ofMinutes(5)};

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
        deadLetters(topic).increment();
    }

    /** From a command's arrival to its outcome being written. */
    public void commandLatency(String kind, String status, Duration took) {
        commandLatency(kind, status).record(took);
    }

    /** The dead-letter counter of {@code topic}, registered (at 0 until a dead letter is written). */
    Counter deadLetters(String topic) {
        return Counter.builder("flowbridge.dead.letters").description("Records sent to a dead-letter topic")
            .tag("topic", topic).register(registry());
    }

    /** The latency timer of commands of {@code kind} ending {@code status}, registered (empty until one does). */
    Timer commandLatency(String kind, String status) {
        return Timer.builder("flowbridge.command.latency").description("Command arrival to outcome written, by kind and status")
            .tag("kind", kind).tag("status", status).serviceLevelObjectives(COMMAND_LATENCY_BUCKETS).register(registry());
    }

    /** A gauge reading {@code source} at every scrape (held strongly: the gauge lives as long as the registry). */
    <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).strongReference(true).register(registry());
    }

    /** Binds a Kafka client's own metrics (records sent per topic, errors); closing the result unbinds them. */
    public AutoCloseable bindProducer(org.apache.kafka.clients.producer.Producer<?, ?> producer) {
        KafkaClientMetrics bound = new KafkaClientMetrics(producer);
        bound.bindTo(registry());
        return bound;
    }

    /** A webhook request whose credential a key accepted: by scheme and key id (a fingerprint, never the key). */
    public void webhookAccepted(String scheme, String keyId) {
        Counter.builder("flowbridge.webhook.accepted").description("Webhook requests whose credential was accepted, by scheme and key id")
            .tag("scheme", scheme).tag("key", keyId).register(registry()).increment();
    }

    /** A webhook request or connection refused or cut off before it was carried out, by why. */
    public void webhookRefused(String reason) {
        Counter.builder("flowbridge.webhook.refused").description("Webhook requests and connections refused or cut off, by reason")
            .tag("reason", reason).register(registry()).increment();
    }

    /** A Standard Webhooks delivery accepted before, answered without being carried out again. */
    public void webhookReplayed() {
        Counter.builder("flowbridge.webhook.replays").description("Standard Webhooks deliveries answered as accepted before, not carried out again")
            .register(registry()).increment();
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
