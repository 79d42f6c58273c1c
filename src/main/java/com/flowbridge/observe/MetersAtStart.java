package com.flowbridge.observe;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * Registers, once Camel has started (and with it the Prometheus registry), the meters that alert rules and dashboards
 * ({@code ops/}) rely on and that would otherwise appear only when first used:
 * <ul>
 *   <li>{@code flowbridge_flow_up} and {@code flowbridge_kafka_up}, the readiness checks as gauges;</li>
 *   <li>{@code flowbridge_dead_letters_total} of each dead-letter topic, at 0: a counter that appears at its first
 *       increment has no earlier sample, so Prometheus's {@code increase()} would miss that first dead letter;</li>
 *   <li>{@code flowbridge_command_latency_seconds} of each command kind and status, empty until a command ends so.</li>
 * </ul>
 * Each of them is true from the start: no dead letter written yet, no command timed yet.
 */
public final class MetersAtStart implements StartupListener {

    private final Metrics metrics;
    private final FlowReachability flow;
    private final KafkaReachability kafka;
    private final List<String> deadLetterTopics;
    private final Map<String, List<String>> commandStatusesByKind;

    /**
     * @param commandStatusesByKind every status a command of each kind can end with (e.g. registration: registered,
     *                              rejected, failed, duplicate)
     */
    public MetersAtStart(Metrics metrics, FlowReachability flow, KafkaReachability kafka, List<String> deadLetterTopics,
                         Map<String, List<String>> commandStatusesByKind) {
        this.metrics = metrics;
        this.flow = flow;
        this.kafka = kafka;
        this.deadLetterTopics = List.copyOf(deadLetterTopics);
        this.commandStatusesByKind = Map.copyOf(commandStatusesByKind);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // Registered once fully started (below): the registry Camel exposes is certain to be there by then.
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        metrics.gauge("flowbridge.flow.up", "1 while FLOW answers flow-bridge's requests, 0 while its latest request got "
            + "no answer or a 5xx (the flow-api readiness check); NaN before the first request", flow, FlowReachability::up);
        metrics.gauge("flowbridge.kafka.up", "1 while the Kafka cluster answers a metadata request, 0 while it does not "
            + "(the kafka-cluster readiness check, at most 15 s old)", kafka, KafkaReachability::up);
        deadLetterTopics.forEach(metrics::deadLetters);
        commandStatusesByKind.forEach((kind, statuses) -> statuses.forEach(status -> metrics.commandLatency(kind, status)));
    }
}
