package com.flowbridge.capture;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;

/**
 * What one cycle of a route that reads one list from FLOW (sessions, operators) found: for its records and
 * for the one summary line it logs. Kept on the cycle's exchange.
 */
final class PollCycle {

    private static final String PROPERTY = "FlowPollCycle";

    final Instant started;
    int seen;
    int skipped;
    int invalid;
    List<Change> changes = List.of();
    /** The facts this cycle writes with its changes (key to value, null deletes), remembered once committed. */
    Map<String, String> facts = Map.of();

    private PollCycle(Instant started) {
        this.started = started;
    }

    static void start(Exchange exchange) {
        exchange.setProperty(PROPERTY, new PollCycle(Instant.now()));
    }

    static PollCycle of(Exchange exchange) {
        PollCycle cycle = exchange.getProperty(PROPERTY, PollCycle.class);
        if (cycle == null) {
            throw new IllegalStateException("The cycle's start step must run first in " + exchange.getFromRouteId());
        }
        return cycle;
    }

    /** The value of a "first snapshot done" fact in the state store. */
    static String snapshotDone() {
        return "{\"completedAt\":\"" + Instant.now() + "\"}";
    }

    OpCounts counts() {
        OpCounts counts = new OpCounts();
        counts.addAll(changes);
        return counts;
    }

    long millis() {
        return Instant.now().toEpochMilli() - started.toEpochMilli();
    }
}
