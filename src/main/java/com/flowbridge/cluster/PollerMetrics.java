package com.flowbridge.cluster;

import java.util.concurrent.atomic.AtomicInteger;

import com.flowbridge.observe.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The poller role's metrics: {@code flowbridge_poller_leader} (1 on the active poller, 0 elsewhere: their sum over
 * instances is 1 when all is well), {@code flowbridge_poller_leadership_changes_total} and
 * {@code flowbridge_poller_fenced_writes_total} (transactions refused because another instance had taken the role: fenced by
 * Kafka, or abandoned once this instance learned it had lost the role). All exist
 * from start-up, at 0, so that alerts never wait for a first event.
 */
public final class PollerMetrics {

    private final Metrics metrics;
    private final AtomicInteger leader = new AtomicInteger();

    public PollerMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    /** Registers the meters; called once Camel's metrics registry exists. */
    public void register() {
        MeterRegistry registry = metrics.registry();
        // A registry outliving an earlier flow-bridge in the same JVM (tests) would keep that one's gauge.
        Gauge earlier = registry.find("flowbridge.poller.leader").gauge();
        if (earlier != null) {
            registry.remove(earlier);
        }
        Gauge.builder("flowbridge.poller.leader", leader, AtomicInteger::get)
            .description("1 on the instance that is the active poller, 0 on the others").register(registry);
        changes();
        fencedWrites();
    }

    void role(boolean active) {
        leader.set(active ? 1 : 0);
    }

    void changed() {
        changes().increment();
    }

    void fenced() {
        fencedWrites().increment();
    }

    private Counter changes() {
        return Counter.builder("flowbridge.poller.leadership.changes")
            .description("Times this instance took or lost the poller role").register(metrics.registry());
    }

    private Counter fencedWrites() {
        return Counter.builder("flowbridge.poller.fenced.writes")
            .description("Poller transactions refused because another instance had taken the role (fenced by Kafka, or "
                + "abandoned once this instance learned it had lost the role)").register(metrics.registry());
    }
}
