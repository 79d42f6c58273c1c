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

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Webhook callers waiting for a command's outcome ({@code ?wait=true}). Any instance may carry the command out, so waiters
 * are completed from the results topics, which every instance follows from their end ({@code routes/webhooks.camel.yaml},
 * route {@code outcomes-for-waiting-callers}, reading committed outcomes only), never from local state alone. A waiter is
 * registered before its command is sent, so no outcome can slip by.
 */
public final class OutcomeWaiters {

    private final Map<String, List<Waiter>> byCommand = new ConcurrentHashMap<>();
    private final Map<String, String> kindsByResultsTopic;

    /** @param kindsByResultsTopic each results topic, and the kind of command whose outcomes it carries */
    public OutcomeWaiters(Map<String, String> kindsByResultsTopic) {
        this.kindsByResultsTopic = Map.copyOf(kindsByResultsTopic);
    }

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

    /** An outcome read from a results topic: hands it to whoever waits for that command. */
    public void delivered(Exchange record) {
        Message message = record.getMessage();
        String kind = kindsByResultsTopic.get(message.getHeader(KafkaConstants.TOPIC, String.class));
        String commandId = CommandIds.fromHeader(message);
        byte[] outcome = message.getBody(byte[].class);
        if (kind != null && commandId != null && outcome != null) {
            complete(kind, commandId, outcome);
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
