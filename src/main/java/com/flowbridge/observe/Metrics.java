package com.flowbridge.observe;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;

/**
 * flow-bridge's own metrics, on the registry Camel exposes at {@code /observe/metrics} (Prometheus format):
 * FLOW calls by endpoint and status, retries, rate-limit waits, dead letters, command latency, webhook requests by
 * key and refusals (and the webhook server's gauges, {@code ConnectionGuard}). Kafka's own client
 * metrics (records sent per topic, consumer lag) are bound by {@link MeteredKafkaClients}; poll cycle durations are
 * Camel's route metrics of the poll routes ({@code camel_route_policy_seconds{routeId=...}}).
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

    public void rateLimitWait(Duration waited) {
        Timer.builder("flowbridge.flow.rate.limit.wait").description("Time FLOW requests waited for the shared rate limit")
            .register(registry()).record(waited);
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
