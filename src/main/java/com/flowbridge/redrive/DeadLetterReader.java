package com.flowbridge.redrive;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a dead-letter topic without a consumer group (nothing committed, no consumer disturbed), committed records
 * only, keys and values as bytes: from the first record written at or after a time (or the beginning) to the end the
 * topic has when the read starts. Dead letters written meanwhile (a redriven command failing again) are not read.
 * Each partition's records come in order.
 */
final class DeadLetterReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Long> end;
    private final long total;
    private final Duration timeout;

    private DeadLetterReader(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end, long total, Duration timeout) {
        this.consumer = consumer;
        this.end = end;
        this.total = total;
        this.timeout = timeout;
    }

    /**
     * Positions a reader on every partition of {@code topic}; fails (IllegalStateException) when the topic does not
     * exist, and with Kafka's own exception when the cluster does not answer within {@code timeout}.
     */
    static DeadLetterReader open(Properties clientSettings, String topic, Instant since, Duration timeout) {
        Properties properties = new Properties();
        properties.putAll(clientSettings);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "flow-bridge-redrive");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties);
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("the topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> start = new HashMap<>(consumer.beginningOffsets(partitions, timeout));
            if (since != null) {
                Map<TopicPartition, Long> times = new HashMap<>();
                partitions.forEach(partition -> times.put(partition, since.toEpochMilli()));
                consumer.offsetsForTimes(times, timeout).forEach((partition, found) ->
                    start.put(partition, found == null ? end.get(partition) : found.offset()));
            }
            long total = 0;
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, start.get(partition));
                total += Math.max(0, end.get(partition) - start.get(partition));
            }
            return new DeadLetterReader(consumer, end, total, timeout);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    /** How many records lie between the starting positions and the end (transaction markers included). */
    long total() {
        return total;
    }

    /** Whether every partition has been read to its end. */
    boolean done() {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey(), timeout) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The next records, none past the end: empty once every partition is read to its end. Fails when none has come
     * for {@code timeout} while some are still to be read (the cluster went away).
     */
    List<DeadLetter> next() {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<DeadLetter> letters = new ArrayList<>();
        while (letters.isEmpty() && !done()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no record came from Kafka for " + timeout.toSeconds() + " s");
            }
            pollInto(letters);
        }
        return letters;
    }

    private void pollInto(List<DeadLetter> letters) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                letters.add(DeadLetter.of(record));
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
