package com.flowbridge.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic the way a data team's consumer would, from the beginning, and remembers every record seen,
 * so tests assert on what really landed on Kafka. Every record is checked against its topic's contract
 * ({@code contracts/asyncapi.yaml}, {@link TopicContracts}) as it arrives: one that does not match fails the test,
 * saying where and why.
 */
public final class TopicProbe implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private final String topic;
    private final TopicContracts.Channel contract;

    /**
     * Reads {@code topic}, a topic of flow-bridge's contract (its shipped name, or a test's prefixed one), as consumers are
     * told to: {@code isolation.level=read_committed}.
     */
    public TopicProbe(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, TopicContracts.get().require(topic), "read_committed");
    }

    /** Reads {@code topic}, configured in place of {@code contractTopic} (e.g. a renamed kafka.topic.events). */
    public TopicProbe(String bootstrapServers, String topic, String contractTopic) {
        this(bootstrapServers, topic, TopicContracts.get().require(contractTopic), "read_committed");
    }

    /** Reads a topic of a test's own making (a route the test added), which no contract describes: nothing is checked. */
    public static TopicProbe outsideTheContracts(String bootstrapServers, String topic) {
        return new TopicProbe(bootstrapServers, topic, (TopicContracts.Channel) null, "read_committed");
    }

    /**
     * Reads {@code topic} as a careless consumer would, {@code isolation.level=read_uncommitted} (the Java client's default):
     * it also sees the records of transactions that were aborted.
     */
    public static TopicProbe uncommitted(String bootstrapServers, String topic) {
        return new TopicProbe(bootstrapServers, topic, TopicContracts.get().require(topic), "read_uncommitted");
    }

    private TopicProbe(String bootstrapServers, String topic, TopicContracts.Channel contract, String isolation) {
        this.topic = topic;
        this.contract = contract;
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        consumer = new KafkaConsumer<>(properties);
        consumer.subscribe(List.of(topic));
    }

    /** Every record on the topic so far (read up to its current end), in arrival order. */
    public synchronized List<ConsumerRecord<String, String>> records() {
        poll(Duration.ofMillis(200));
        readToEnd(Duration.ofSeconds(30));
        return List.copyOf(seen);
    }

    /** Waits until at least {@code count} records have been seen, and returns all of them. */
    public List<ConsumerRecord<String, String>> awaitCount(int count, Duration timeout) {
        return await(records -> records.size() >= count, timeout, "at least " + count + " records");
    }

    /** Waits until the records seen satisfy {@code condition}. */
    public synchronized List<ConsumerRecord<String, String>> await(Predicate<List<ConsumerRecord<String, String>>> condition,
                                                                   Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(seen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what + " on " + topic
                    + "; saw " + seen.size() + " records: " + describe(seen));
            }
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(seen);
    }

    /** The records that arrive within {@code period} from now (use to assert that nothing more is published). */
    public synchronized List<ConsumerRecord<String, String>> newRecordsWithin(Duration period) {
        int before = seen.size();
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(seen.subList(before, seen.size()));
    }

    /** The current end offsets summed over partitions: how many records the topic holds (before compaction). */
    public long endOffsetSum() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition())).toList();
        return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static Map<String, String> headers(ConsumerRecord<?, ?> record) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    /**
     * Keeps each record once: a probe left unpolled longer than max.poll.interval.ms is dropped from its group and,
     * having committed nothing, reads its topic again from the start when it polls next.
     */
    private void poll(Duration duration) {
        for (ConsumerRecord<String, String> record : consumer.poll(duration)) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (record.offset() >= nextOffsets.getOrDefault(partition, 0L)) {
                if (contract != null) {
                    TopicContracts.get().check(contract, record);
                }
                seen.add(record);
                nextOffsets.put(partition, record.offset() + 1);
            }
        }
    }

    /**
     * Polls until this probe's position has reached the topic's end offsets of now: one poll returns at most
     * max.poll.records (500), and a probe read only at the end of a long test has many more waiting.
     */
    private void readToEnd(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition())).toList());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(end)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Could not read " + topic + " to its end offsets " + end + " within " + timeout);
            }
            poll(Duration.ofMillis(200));
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        if (!consumer.assignment().containsAll(end.keySet())) {
            return false; // (re)joining its group
        }
        return end.entrySet().stream().allMatch(partition -> consumer.position(partition.getKey()) >= partition.getValue());
    }

    private static String describe(List<ConsumerRecord<String, String>> records) {
        StringBuilder text = new StringBuilder();
        for (ConsumerRecord<String, String> record : records.subList(Math.max(0, records.size() - 10), records.size())) {
            String value = record.value() == null ? "null" : record.value();
            text.append("\n  ").append(record.key()).append(" -> ").append(value.length() > 200 ? value.substring(0, 200) + "..." : value);
        }
        return text.toString();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
