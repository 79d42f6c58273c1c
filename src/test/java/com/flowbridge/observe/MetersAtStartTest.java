package com.flowbridge.observe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetersAtStartTest {

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final Metrics metrics = new Metrics(context);
    private final FlowReachability flow = new FlowReachability();

    @Test
    void dead_letter_counters_and_command_timers_are_there_at_zero_before_anything_happened() {
        start();
        MeterRegistry registry = metrics.registry();
        assertThat(registry.get("flowbridge.dead.letters").counters()).extracting(counter -> counter.getId().getTag("topic"))
            .containsExactlyInAnyOrder("reg.dlq", "evt.dlq");
        assertThat(registry.get("flowbridge.dead.letters").counters()).allMatch(counter -> counter.count() == 0);
        assertThat(registry.get("flowbridge.command.latency").timers())
            .extracting(timer -> timer.getId().getTag("kind") + " " + timer.getId().getTag("status"))
            .containsExactlyInAnyOrder("registration registered", "registration failed", "event created");
        assertThat(registry.get("flowbridge.command.latency").timers()).allMatch(timer -> timer.count() == 0);
    }

    @Test
    void the_command_timer_is_a_histogram_whose_buckets_span_a_fast_rejection_to_a_spent_retry_budget() {
        start();
        metrics.commandLatency("registration", "registered", Duration.ofMillis(700));
        CountAtBucket[] buckets = metrics.registry().get("flowbridge.command.latency").tag("status", "registered").timer()
            .takeSnapshot().histogramCounts();
        assertThat(buckets).extracting(bucket -> bucket.bucket(TimeUnit.SECONDS))
            .contains(0.05, 1.0, 10.0, 300.0);
        assertThat(buckets).filteredOn(bucket -> bucket.bucket(TimeUnit.SECONDS) == 1.0)
            .extracting(CountAtBucket::count).containsExactly(1.0);
        assertThat(buckets).filteredOn(bucket -> bucket.bucket(TimeUnit.SECONDS) == 0.5)
            .extracting(CountAtBucket::count).containsExactly(0.0);
    }

    @Test
    void the_reachability_gauges_say_unknown_until_checked_then_follow_the_checks() {
        start();
        MeterRegistry registry = metrics.registry();
        assertThat(registry.get("flowbridge.flow.up").gauge().value()).isNaN();
        assertThat(registry.get("flowbridge.kafka.up").gauge().value()).as("a check that has not run").isNaN();
        flow.failed("connection refused");
        assertThat(registry.get("flowbridge.flow.up").gauge().value()).isZero();
    }

    private void start() {
        new MetersAtStart(metrics, flow, new KafkaReachability(null), List.of("reg.dlq", "evt.dlq"),
            Map.of("registration", List.of("registered", "failed"), "event", List.of("created")))
            .onCamelContextFullyStarted(context, false);
    }
}
