package com.flowbridge.capture;

import java.time.Instant;
import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;

/**
 * What one cycle of a polled entity did, for its one summary line and its {@code cycle:<collection>} fact. Kept on the
 * cycle's exchange; the fan-out threads add to it.
 */
final class CaptureCycle {

    private static final String PROPERTY = "FlowCaptureCycle";
    private static final int REASONS_IN_SUMMARY = 3;

    final Instant started = Instant.now();
    final PolledEntity.Scopes scopes;
    /** What the signals' snapshots ask of this cycle ({@link SnapshotWork#NONE} mostly). */
    final SnapshotWork snapshot;
    final OpCounts published = new OpCounts();
    final AtomicLong seen = new AtomicLong();
    final AtomicInteger gone = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger withoutId = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final Queue<String> reasons = new ConcurrentLinkedQueue<>();

    private CaptureCycle(PolledEntity.Scopes scopes, SnapshotWork snapshot) {
        this.scopes = scopes;
        this.snapshot = snapshot;
    }

    static CaptureCycle start(Exchange exchange, PolledEntity.Scopes scopes, SnapshotWork snapshot) {
        CaptureCycle cycle = new CaptureCycle(scopes, snapshot);
        exchange.setProperty(PROPERTY, cycle);
        return cycle;
    }

    static CaptureCycle of(Exchange exchange) {
        CaptureCycle cycle = exchange.getProperty(PROPERTY, CaptureCycle.class);
        if (cycle == null) {
            throw new IllegalStateException("The cycle's start step must run first in " + exchange.getFromRouteId());
        }
        return cycle;
    }

    void read(ScopeRead read) {
        seen.addAndGet(read.items().size());
        duplicates.addAndGet(read.duplicates());
        withoutId.addAndGet(read.withoutId());
    }

    void read(LastAnswers.Answer unchanged) {
        seen.addAndGet(unchanged.items());
        duplicates.addAndGet(unchanged.duplicates());
        withoutId.addAndGet(unchanged.withoutId());
    }

    void published(Collection<Change> changes) {
        published.addAll(changes);
    }

    void failed(String scope, String reason) {
        if (failures.incrementAndGet() <= REASONS_IN_SUMMARY) {
            reasons.add((scope.isEmpty() ? "" : scope + ": ") + reason);
        }
    }

    int failures() {
        return failures.get();
    }

    String describeFailures() {
        int count = failures.get();
        if (count == 0) {
            return "0 failures";
        }
        String more = count > REASONS_IN_SUMMARY ? "; and " + (count - REASONS_IN_SUMMARY) + " more" : "";
        return count + (count == 1 ? " failure (" : " failures (") + String.join("; ", reasons) + more + ")";
    }

    long millis() {
        return Instant.now().toEpochMilli() - started.toEpochMilli();
    }
}
