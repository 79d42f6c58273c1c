package com.flowbridge.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.kafka.KafkaClients;
import org.apache.camel.Service;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What has become of every command, by commandId, as all instances see it: the compacted ledger topic holds a
 * {@code pending} marker written before FLOW is called, and the results topics hold the outcomes, each naming
 * the commandId and the command record it answers (headers {@code command-id}, {@code command-source}). A command
 * is done once its outcome is on the results topic: there is no separate done marker that could be missing.
 * Every instance follows these topics from the beginning into memory; before a batch is decided,
 * {@link #catchUp()} makes sure memory holds everything written before the batch was read, whoever wrote it.
 * The topics are the truth, memory a cache. Memory keeps each commandId for the idempotency window, with where its
 * first outcome is on the results topic (not the outcome itself: a duplicate, which is rare, reads it back): a few
 * hundred bytes each (the key, the answered record's coordinates, the position). The results topics must keep their
 * records at least that long.
 */
public final class CommandLedger implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(CommandLedger.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String topic;
    private final Map<String, String> kindsByResultsTopic;
    private final KafkaClients clients;
    private final CommandRecords records;
    private final OutcomeWaiters waiters;
    private final ObjectMapper mapper;
    private final Duration window;
    private final Duration timeout;
    private final String instance = "flow-bridge-" + UUID.randomUUID().toString().substring(0, 8);
    /** Guarded by itself; in order of last change, so the oldest entries are evicted first. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private final Object progress = new Object();
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private volatile boolean running;
    private KafkaConsumer<String, byte[]> follower;
    private KafkaConsumer<String, byte[]> endOffsets;
    private KafkaConsumer<String, byte[]> fetcher;
    private List<TopicPartition> partitions;
    private Thread thread;

    /** What the ledger knows of one commandId. */
    private static final class Entry {
        private boolean pending;
        private TopicPartition outcomePartition;
        private long outcomeOffset;
        private final List<String> answered = new ArrayList<>(1);
        private long changed;
    }

    /**
     * What the ledger knows about a command record when its batch is decided.
     *
     * @param answeredHere the outcome for this very record was written already (it is being read again)
     * @param outcome      where the command's first outcome is (null: none yet); {@link #outcome(OutcomeAt)} reads it
     * @param pending      a call to FLOW was started for the command
     */
    public record Knowledge(boolean answeredHere, OutcomeAt outcome, boolean pending) {
    }

    /** A record on a results topic. */
    public record OutcomeAt(TopicPartition partition, long offset) {
    }

    /**
     * @param kindsByResultsTopic each results topic and the kind of command it answers
     * @param window              how long a commandId is remembered
     * @param timeout             the longest catch-up, and the longest wait for Kafka to acknowledge a marker
     */
    public CommandLedger(String topic, Map<String, String> kindsByResultsTopic, KafkaClients clients, CommandRecords records,
                         OutcomeWaiters waiters, ObjectMapper mapper, Duration window, Duration timeout) {
        this.topic = topic;
        this.kindsByResultsTopic = Map.copyOf(kindsByResultsTopic);
        this.clients = clients;
        this.records = records;
        this.waiters = waiters;
        this.mapper = mapper;
        this.window = window;
        this.timeout = timeout;
    }

    /** Starts following the ledger and results topics from their beginning. */
    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        follower = new KafkaConsumer<>(consumerSettings());
        endOffsets = new KafkaConsumer<>(consumerSettings());
        fetcher = new KafkaConsumer<>(consumerSettings());
        partitions = new ArrayList<>();
        List<String> topics = new ArrayList<>(kindsByResultsTopic.keySet());
        topics.add(topic);
        for (String followed : topics) {
            follower.partitionsFor(followed, timeout).forEach(info -> partitions.add(new TopicPartition(followed, info.partition())));
        }
        follower.assign(partitions);
        follower.seekToBeginning(partitions);
        running = true;
        thread = new Thread(this::follow, "command-ledger");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Returns once memory holds every ledger and results record written before this call (by any instance).
     *
     * @throws IllegalStateException when that takes longer than the timeout (Kafka unreachable)
     */
    public void catchUp() throws InterruptedException {
        Map<TopicPartition, Long> end;
        synchronized (this) {
            end = endOffsets.endOffsets(partitions, timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!reached(end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The command ledger could not catch up with " + topic + " within " + timeout);
                }
                progress.wait(50);
            }
        }
    }

    public Knowledge knowledge(String kind, String commandId, CommandSource source) {
        synchronized (entries) {
            Entry entry = entries.get(kind + ":" + commandId);
            if (entry == null) {
                return new Knowledge(false, null, false);
            }
            OutcomeAt outcome = entry.outcomePartition == null ? null : new OutcomeAt(entry.outcomePartition, entry.outcomeOffset);
            return new Knowledge(entry.answered.contains(source.toString()), outcome, entry.pending);
        }
    }

    /** The outcome at {@code at}, read back from its results topic (for the rare duplicate command). */
    public synchronized byte[] outcome(OutcomeAt at) {
        fetcher.assign(List.of(at.partition()));
        fetcher.seek(at.partition(), at.offset());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : fetcher.poll(POLL)) {
                if (record.offset() == at.offset()) {
                    return record.value();
                }
            }
        }
        throw new IllegalStateException("Could not read back the outcome at " + at.partition() + "/" + at.offset() + " within " + timeout);
    }

    /**
     * Records that FLOW is about to be called for these commands. Returns at once: each run carries its marker's
     * write, which must be acknowledged before FLOW is called for it ({@link CommandRun#awaitPending(Duration)}).
     */
    public void markPending(String kind, List<CommandRun> runs) {
        for (CommandRun run : runs) {
            ObjectNode marker = mapper.createObjectNode().put("state", "pending").put("kind", kind)
                .put("commandId", run.commandId()).put("source", run.source().toString()).put("instance", instance)
                .put("ts_ms", System.currentTimeMillis());
            run.pendingWrite(records.ledger(topic, kind + ":" + run.commandId(), bytes(marker)));
        }
    }

    private byte[] bytes(JsonNode marker) {
        try {
            return mapper.writeValueAsBytes(marker);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write a ledger marker", e);
        }
    }

    private void follow() {
        while (running) {
            try {
                for (ConsumerRecord<String, byte[]> record : follower.poll(POLL)) {
                    apply(record);
                }
                Map<TopicPartition, Long> now = new HashMap<>();
                for (TopicPartition partition : partitions) {
                    now.put(partition, follower.position(partition));
                }
                synchronized (progress) {
                    positions = now;
                    progress.notifyAll();
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Following the command ledger: {}; carrying on", e.toString());
                sleep();
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null || record.timestamp() < System.currentTimeMillis() - window.toMillis()) {
            return;
        }
        if (record.topic().equals(topic)) {
            applyMarker(record);
        } else {
            applyOutcome(kindsByResultsTopic.get(record.topic()), record);
        }
    }

    private void applyMarker(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            synchronized (entries) {
                entries.remove(record.key());
            }
            return;
        }
        JsonNode marker;
        try {
            marker = mapper.readTree(record.value());
        } catch (IOException e) {
            LOG.warn("Ignoring a record on {} at offset {} that is not a ledger marker", topic, record.offset());
            return;
        }
        if ("pending".equals(marker.path("state").asText())) {
            synchronized (entries) {
                touch(record.key(), record.timestamp()).pending = true;
            }
        }
    }

    /** An outcome on a results topic: the command it answers is done. */
    private void applyOutcome(String kind, ConsumerRecord<String, byte[]> record) {
        String commandId = header(record, CommandRecords.COMMAND_ID);
        String source = header(record, CommandRecords.COMMAND_SOURCE);
        if (commandId == null || source == null || record.value() == null) {
            return;
        }
        synchronized (entries) {
            Entry entry = touch(kind + ":" + commandId, record.timestamp());
            if (entry.outcomePartition == null && !"duplicate".equals(header(record, CommandRecords.COMMAND_STATUS))) {
                entry.outcomePartition = followed(record);
                entry.outcomeOffset = record.offset();
            }
            answered(entry, source);
        }
        waiters.complete(kind, commandId, record.value());
    }

    /** The record's partition, as the one instance in {@link #partitions} (not one more object per entry). */
    private TopicPartition followed(ConsumerRecord<?, ?> record) {
        for (TopicPartition partition : partitions) {
            if (partition.partition() == record.partition() && partition.topic().equals(record.topic())) {
                return partition;
            }
        }
        return new TopicPartition(record.topic(), record.partition());
    }

    /** The entry for a key, moved to the young end; entries older than the window are forgotten. */
    private Entry touch(String key, long timestamp) {
        Entry entry = entries.remove(key);
        if (entry == null) {
            entry = new Entry();
        }
        entry.changed = timestamp;
        entries.put(key, entry);
        long oldest = System.currentTimeMillis() - window.toMillis();
        Iterator<Entry> eldest = entries.values().iterator();
        while (eldest.hasNext() && eldest.next().changed < oldest) {
            eldest.remove();
        }
        return entry;
    }

    private static void answered(Entry entry, String source) {
        if (!entry.answered.contains(source)) {
            entry.answered.add(source);
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> at = positions;
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (at.getOrDefault(partition.getKey(), 0L) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Properties consumerSettings() {
        Properties properties = clients.grouplessConsumer();
        // Under load, fetch in bulk (every 25 ms at most) rather than record by record: less work for the brokers,
        // and a batch's catch-up waits 25 ms at worst.
        properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "25");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
        }
        follower.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        follower.close();
        synchronized (this) {
            endOffsets.close();
            fetcher.close();
        }
        LOG.debug("Command ledger {} closed", instance);
    }
}
