package com.flowbridge.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.common.TopicPartition;

/**
 * The command records of one poll, settled together: one ledger catch-up before deciding, the pending markers
 * sent at once (each call waits for its own), FLOW called in lanes (concurrently across lanes, in order within
 * one), then every outcome acknowledged and the offsets committed, in that order.
 */
public final class CommandBatch {

    private final List<CommandRun> runs = new ArrayList<>();
    private final Map<TopicPartition, KafkaManualCommit> commits = new LinkedHashMap<>();
    private final Queue<Future<?>> sends = new ConcurrentLinkedQueue<>();
    private final long started = System.nanoTime();
    private final StringBuilder phases = new StringBuilder();
    private long phaseStarted = started;
    private List<List<CommandRun>> lanes;

    void add(CommandRun run) {
        runs.add(run);
    }

    /** Remembers the commit of the latest record read from a partition: committing it commits the whole batch there. */
    void commitAfter(TopicPartition partition, KafkaManualCommit commit) {
        if (commit != null) {
            commits.put(partition, commit);
        }
    }

    public List<CommandRun> runs() {
        return runs;
    }

    /** The runs that need FLOW, by lane, in the order their commands were read; for the routes' split. */
    public List<List<CommandRun>> lanes() {
        if (lanes == null) {
            Map<String, List<CommandRun>> byLane = new LinkedHashMap<>();
            for (CommandRun run : runs) {
                if (run.mustCallFlow() || run.mustReconcile()) {
                    byLane.computeIfAbsent(run.lane(), lane -> new ArrayList<>()).add(run);
                }
            }
            lanes = List.copyOf(byLane.values());
        }
        return lanes;
    }

    void sent(Future<?> send) {
        sends.add(send);
    }

    /** Waits until Kafka has acknowledged every record sent for this batch; throws if one was not written. */
    void awaitSent(long timeoutMillis) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Future<?> send : sends) {
            send.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /** Commits the offsets after the batch's records, one partition after another (on the consumer's thread). */
    void commit() {
        commits.values().forEach(KafkaManualCommit::commit);
    }

    /** Notes how long the phase that just ended took, for the batch's log line. */
    void phase(String name) {
        long now = System.nanoTime();
        phases.append(phases.length() == 0 ? "" : ", ").append(name).append(' ').append((now - phaseStarted) / 1_000_000).append(" ms");
        phaseStarted = now;
    }

    String phases() {
        return phases.toString();
    }

    long millis() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** For the batch's log line: how many runs ended in each outcome status, and how many had been answered already. */
    String summary() {
        Map<String, Integer> counts = new TreeMap<>();
        for (CommandRun run : runs) {
            String status = run.outcome() != null ? run.outcome().path("status").asText() : "already-answered";
            counts.merge(status, 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder();
        counts.forEach((status, count) -> text.append(text.length() == 0 ? "" : " ").append(status).append('=').append(count));
        return text.toString();
    }
}
