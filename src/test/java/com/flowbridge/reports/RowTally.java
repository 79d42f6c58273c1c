package com.flowbridge.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TopicContracts;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts the rows of one report on its topic per run, as a consumer of a large report would, without keeping the
 * records: how many rows each run published and how many distinct row numbers. Every record read is checked against
 * the topic's contract ({@link TopicContracts}).
 */
final class RowTally implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, String> consumer;
    private final String keyPrefix;
    private final String topic;
    private final TopicContracts.Channel contract;
    private final Map<String, Long> rowsByRun = new HashMap<>();
    private final Map<String, BitSet> rowNumbersByRun = new HashMap<>();
    private long total;

    /** Counts the records of {@code topic} whose key starts with {@code keyPrefix}, from the beginning, as read_committed. */
    RowTally(String topic, String keyPrefix) {
        this(topic, keyPrefix, "read_committed");
    }

    /**
     * As {@link #RowTally(String, String)}, with this {@code isolation.level}: {@code read_uncommitted} also counts the rows
     * of aborted transactions.
     */
    RowTally(String topic, String keyPrefix, String isolation) {
        this.topic = topic;
        this.keyPrefix = keyPrefix;
        this.contract = TopicContracts.get().require(topic);
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "tally-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(properties);
        consumer.subscribe(List.of(topic));
    }

    void awaitTotal(long rows, Duration timeout) {
        await(() -> total >= rows, timeout, rows + " rows");
    }

    void awaitRun(String runId, long rows, Duration timeout) {
        await(() -> rows(runId) >= rows, timeout, rows + " rows of run " + runId);
    }

    /** Reads what has arrived so far and returns the rows of the run. */
    long rows(String runId) {
        poll();
        return rowsByRun.getOrDefault(runId, 0L);
    }

    long distinctRows(String runId) {
        poll();
        return rowNumbersByRun.getOrDefault(runId, new BitSet()).cardinality();
    }

    Set<String> runs() {
        poll();
        return Set.copyOf(rowsByRun.keySet());
    }

    private void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        poll();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what + " on " + topic + "; rows by run: " + rowsByRun);
            }
            poll();
        }
    }

    private void poll() {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            TopicContracts.get().check(contract, record);
            if (record.key() == null || !record.key().startsWith(keyPrefix)) {
                continue;
            }
            try {
                JsonNode row = JSON.readTree(record.value());
                String runId = row.path("runId").asText();
                rowsByRun.merge(runId, 1L, Long::sum);
                rowNumbersByRun.computeIfAbsent(runId, r -> new BitSet()).set(row.path("rowNumber").asInt());
                total++;
            } catch (IOException e) {
                throw new UncheckedIOException("Not a report row: " + record.value(), e);
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
