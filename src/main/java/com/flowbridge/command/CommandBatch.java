package com.flowbridge.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.camel.Message;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The command records of one poll, settled together: decided against the ledger, the pending markers written, FLOW called
 * in lanes (concurrently across lanes, in order within one), then every outcome, dead letter and done marker, and the
 * offsets of the records, committed in one Kafka transaction.
 */
public final class CommandBatch {

    private final List<CommandRun> runs = new ArrayList<>();
    private final Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();
    private final long started = System.nanoTime();
    private final StringBuilder phases = new StringBuilder();
    private long phaseStarted = started;
    private Consumer<?, ?> consumer;
    private List<List<CommandRun>> lanes;
    /** Each settled run's outcome record, as handed to Kafka (its position is known once Kafka has it). */
    private final Map<CommandRun, Message> outcomes = new LinkedHashMap<>();

    void add(CommandRun run) {
        runs.add(run);
    }

    /** The consumer the batch was read with: its assignment, and its group generation for the transaction. */
    void consumer(Consumer<?, ?> from) {
        consumer = from;
    }

    /** Notes a record read from {@code partition} at {@code offset}: committing the batch commits past it. */
    void consumed(TopicPartition partition, long offset) {
        nextOffsets.merge(partition, offset + 1, Math::max);
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

    /** The runs about to call FLOW, which need a pending marker first. */
    List<CommandRun> calls() {
        return runs.stream().filter(CommandRun::mustCallFlow).toList();
    }

    void outcome(CommandRun run, Message record) {
        outcomes.put(run, record);
    }

    Map<CommandRun, Message> outcomes() {
        return outcomes;
    }

    /** The offsets to commit with the batch's outcomes: past every record read. */
    Map<TopicPartition, OffsetAndMetadata> offsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        nextOffsets.forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(next)));
        return offsets;
    }

    /** The consumer group's generation, which fences the transaction if the group has moved on without this instance. */
    ConsumerGroupMetadata group() {
        return consumer.groupMetadata();
    }

    /** Whether the consumer owns {@code partition} now (asked on the consumer's own thread); true when it is not known. */
    boolean owns(TopicPartition partition) {
        return consumer == null || consumer.assignment().contains(partition);
    }

    /** The command partitions the consumer owns now (asked on the consumer's own thread). */
    Set<TopicPartition> assignment() {
        return consumer == null ? Set.of() : new HashSet<>(consumer.assignment());
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
