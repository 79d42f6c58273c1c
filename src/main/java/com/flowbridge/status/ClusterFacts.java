package com.flowbridge.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what {@code status} reports from the Kafka cluster alone, disturbing nothing: no consumer group is joined and
 * nothing is committed (group facts come from the Admin client, topics are read by a groupless consumer with
 * {@code isolation.level=read_committed}, so only committed records count).
 */
final class ClusterFacts implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Admin admin;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Duration timeout;

    ClusterFacts(Properties clientSettings, Duration timeout) {
        this.timeout = timeout;
        Properties admin = new Properties();
        admin.putAll(clientSettings);
        admin.put("client.id", "flow-bridge-status");
        this.admin = Admin.create(admin);
        Properties consumer = new Properties();
        consumer.putAll(clientSettings);
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "flow-bridge-status");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(consumer);
    }

    /** The poller group's members (their instance names) and the one holding the coordination topic's partition. */
    Status.Poller poller(String group, String coordinationTopic) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
            .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        String active = null;
        List<String> members = new ArrayList<>();
        for (MemberDescription member : description.members()) {
            String instance = instanceOf(member.clientId());
            members.add(instance);
            boolean holds = member.assignment().topicPartitions().stream()
                .anyMatch(partition -> partition.topic().equals(coordinationTopic));
            if (holds) {
                active = instance;
            }
        }
        return new Status.Poller(group, description.state().toString(), active, members);
    }

    /** The leadership consumer's client id is {@code <instance>-leadership} (see KafkaLeadership). */
    private static String instanceOf(String clientId) {
        return clientId.endsWith("-leadership") ? clientId.substring(0, clientId.length() - "-leadership".length()) : clientId;
    }

    /** The last value of every key of the state topic that starts with {@code cycle:}, by collection. */
    Map<String, JsonNode> lastCycles(String stateTopic) {
        Map<String, JsonNode> cycles = new HashMap<>();
        readAll(stateTopic, beginnings(stateTopic), record -> {
            if (record.key() != null && record.key().startsWith("cycle:")) {
                String collection = record.key().substring("cycle:".length());
                if (record.value() == null) {
                    cycles.remove(collection);
                } else {
                    cycles.put(collection, parse(record.value()));
                }
            }
        });
        return cycles;
    }

    /** Per command topic, how far the group's committed offsets are behind the topic's end (Kafka's own lag figure). */
    Status.Lag lag(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        List<TopicPartition> partitions = partitions(topic);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, timeout);
        long lag = 0;
        int uncommitted = 0;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                uncommitted++;
            }
            long from = offset == null ? start.get(partition) : offset.offset();
            lag += Math.max(0, end.get(partition) - from);
        }
        return new Status.Lag(topic, lag, partitions.size(), uncommitted);
    }

    /** How many committed records the topic holds written at or after {@code hourAgo} and {@code dayAgo}. */
    Status.DeadLetters deadLetters(String topic, Instant now) {
        Instant hourAgo = now.minus(Duration.ofHours(1));
        Instant dayAgo = now.minus(Duration.ofDays(1));
        List<TopicPartition> partitions = partitions(topic);
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, dayAgo.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> since = consumer.offsetsForTimes(times, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Long> from = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = since.get(partition);
            from.put(partition, offset == null ? end.get(partition) : offset.offset());
        }
        long[] counts = new long[2];
        readAll(topic, from, record -> {
            if (record.timestamp() >= dayAgo.toEpochMilli()) {
                counts[1]++;
                if (record.timestamp() >= hourAgo.toEpochMilli()) {
                    counts[0]++;
                }
            }
        });
        return new Status.DeadLetters(topic, counts[0], counts[1]);
    }

    /**
     * The commands whose last ledger marker is {@code pending}: a FLOW call was started and no outcome committed yet
     * (in flight now, or interrupted and not yet settled), by kind ({@code registration}, {@code event}).
     */
    Status.Pending pending(String ledgerTopic) {
        Map<String, JsonNode> last = new HashMap<>();
        readAll(ledgerTopic, beginnings(ledgerTopic), record -> {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                last.remove(record.key());
            } else {
                last.put(record.key(), parse(record.value()));
            }
        });
        Map<String, Long> byKind = new LinkedHashMap<>();
        byKind.put("registration", 0L);
        byKind.put("event", 0L);
        Long oldest = null;
        for (JsonNode marker : last.values()) {
            if (marker != null && "pending".equals(marker.path("state").asText())) {
                byKind.merge(marker.path("kind").asText("unknown"), 1L, Long::sum);
                long since = marker.path("ts_ms").asLong(0);
                oldest = oldest == null || since < oldest ? since : oldest;
            }
        }
        return new Status.Pending(ledgerTopic, byKind, oldest == null ? null : Instant.ofEpochMilli(oldest));
    }

    private List<TopicPartition> partitions(String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
            .map(info -> new TopicPartition(topic, info.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("the topic " + topic + " does not exist");
        }
        return partitions;
    }

    private Map<TopicPartition, Long> beginnings(String topic) {
        return consumer.beginningOffsets(partitions(topic), timeout);
    }

    /** Reads each partition from its offset in {@code from} to the end it has now, committed records only. */
    private void readAll(String topic, Map<TopicPartition, Long> from, Consumer<ConsumerRecord<String, byte[]>> each) {
        Collection<TopicPartition> partitions = from.keySet();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        consumer.assign(partitions);
        from.forEach(consumer::seek);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition, timeout) < end.get(partition))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(topic + " could not be read to its end within " + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                    each.accept(record);
                }
            }
        }
        consumer.assign(List.of());
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException notJson) {
            return null;
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
