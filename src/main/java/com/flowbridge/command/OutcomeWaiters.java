package com.flowbridge.command;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Webhook callers waiting for a command's outcome ({@code ?wait=true}). Any instance may carry the command out,
 * so waiters are completed from the results topics as every instance reads them back ({@link CommandLedger}),
 * never from local state alone. A waiter is registered before its command is sent, so no outcome can slip by.
 */
public final class OutcomeWaiters {

    private final Map<String, List<Waiter>> byCommand = new ConcurrentHashMap<>();

    /** A caller's wait for the first outcome of a command read back from now on. */
    public static final class Waiter {
        private final String key;
        private final long deadline;
        private final CompletableFuture<byte[]> outcome = new CompletableFuture<>();

        private Waiter(String key, long deadline) {
            this.key = key;
            this.deadline = deadline;
        }
    }

    public Waiter expect(String kind, String commandId, Duration timeout) {
        forgetExpired();
        Waiter waiter = new Waiter(kind + ":" + commandId, System.nanoTime() + timeout.toNanos());
        byCommand.computeIfAbsent(waiter.key, key -> new CopyOnWriteArrayList<>()).add(waiter);
        return waiter;
    }

    /** The outcome, or null when it did not come before the waiter's deadline. */
    public byte[] await(Waiter waiter) throws InterruptedException {
        try {
            return waiter.outcome.get(Math.max(0, waiter.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("A waiter is only ever completed with an outcome", e);
        } finally {
            forget(waiter);
        }
    }

    void complete(String kind, String commandId, byte[] outcome) {
        List<Waiter> waiters = byCommand.remove(kind + ":" + commandId);
        if (waiters != null) {
            waiters.forEach(waiter -> waiter.outcome.complete(outcome));
        }
    }

    /** Waiters whose request failed before awaiting (e.g. Kafka refused the command) must not pile up. */
    private void forgetExpired() {
        long now = System.nanoTime();
        byCommand.values().forEach(waiters -> waiters.removeIf(waiter -> now - waiter.deadline > 0));
        byCommand.values().removeIf(List::isEmpty);
    }

    private void forget(Waiter waiter) {
        byCommand.computeIfPresent(waiter.key, (key, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        });
    }
}
