package com.flowbridge.command;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.kafka.KafkaClients;
import com.flowbridge.kafka.RecordMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What has become of the commands of one command topic, by partition and commandId, kept in the compacted ledger topic:
 * a {@code pending} marker before FLOW is called (written on its own and acknowledged first, so that it survives a crash
 * mid-call), and a {@code done} marker naming where the command's outcome is, written in the same Kafka transaction as
 * the outcome and the command's offset.
 * <p>
 * The ledger topic is partitioned like the command topics: the markers of a command read from partition p are on ledger
 * partition p (modulo the ledger's partitions). So an instance needs, and holds, only the markers of the command partitions
 * the consumer group gives it: memory grows with its share of the partitions, not with every command of the cluster.
 * When the group hands it a partition, the ledger reads that partition's markers back (after the previous owner's last
 * transaction is settled, which Kafka guarantees a read_committed consumer); when the partition goes, they are dropped.
 * While it owns a partition, this instance is the only one writing its markers, so memory stays current by noting its
 * own writes once Kafka has them. Memory keeps each commandId for the idempotency window: a few hundred bytes each.
 * <p>
 * A commandId is therefore known within its command partition: one commandId is one command, sent with one key (the
 * documented key, which the webhook uses), so that its records share a partition.
 */
public final class CommandLedger {

    private static final Logger LOG = LoggerFactory.getLogger(CommandLedger.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String topic;
    private final String kind;
    private final String commandTopic;
    private final int ledgerPartitions;
    private final KafkaClients clients;
    private final CamelContext context;
    private final ObjectMapper mapper;
    private final String instance;
    private final Duration window;
    private final Duration timeout;
    /** Per command partition owned, the commandIds known, oldest change first (so the oldest are evicted first). */
    private final Map<Integer, LinkedHashMap<String, Entry>> byPartition = new HashMap<>();

    /** What the ledger knows of one commandId in one command partition. */
    private static final class Entry {
        private boolean pending;
        private String outcomeAt;
        private final List<Long> answered = new ArrayList<>(1);
        private long changed;
    }

    /**
     * What the ledger knows about a command record when its batch is decided.
     *
     * @param answeredHere the outcome for this very record was committed already (it is being read again)
     * @param outcomeAt    where the command's first outcome is ({@code topic/partition/offset}), null when it has none yet
     * @param pending      a call to FLOW was started for the command, and its outcome never committed
     */
    public record Knowledge(boolean answeredHere, String outcomeAt, boolean pending) {
    }

    /**
     * @param topic            the ledger topic
     * @param kind             the command kind whose markers this ledger keeps ({@code registration}, {@code event})
     * @param commandTopic     the command topic those commands are read from
     * @param ledgerPartitions the ledger topic's partition count
     * @param window           how long a commandId is remembered
     * @param timeout          the longest a ledger partition may take to read back
     */
    public CommandLedger(String topic, String kind, String commandTopic, int ledgerPartitions, KafkaClients clients,
                         CamelContext context, ObjectMapper mapper, String instance, Duration window, Duration timeout) {
        this.topic = topic;
        this.kind = kind;
        this.commandTopic = commandTopic;
        this.ledgerPartitions = ledgerPartitions;
        this.clients = clients;
        this.context = context;
        this.mapper = mapper;
        this.instance = instance;
        this.window = window;
        this.timeout = timeout;
    }

    /**
     * Before a batch is decided, with the command partitions the consumer owns now: reads back the markers of partitions
     * newly given to this instance, and forgets those of partitions it no longer has.
     */
    public synchronized void follow(Set<Integer> owned) {
        byPartition.keySet().retainAll(owned);
        for (int partition : owned) {
            if (!byPartition.containsKey(partition)) {
                byPartition.put(partition, readBack(partition));
            }
        }
    }

    public synchronized Knowledge knowledge(CommandSource source, String commandId) {
        Entry entry = entries(source.partition()).get(commandId);
        if (entry == null) {
            return new Knowledge(false, null, false);
        }
        return new Knowledge(entry.answered.contains(source.offset()), entry.outcomeAt, entry.pending && entry.outcomeAt == null);
    }

    /** The pending marker of a command about to be sent to FLOW, for the ledger topic. */
    public Message pendingMarker(CommandRun run) {
        return marker(run, marker("pending", run));
    }

    /** The done marker of a command whose outcome is at {@code outcomeAt} ({@code topic/partition/offset}). */
    public Message doneMarker(CommandRun run, String status, String outcomeAt) {
        return marker(run, marker("done", run).put("status", status).put("outcome", outcomeAt));
    }

    /** Notes pending markers Kafka has acknowledged. */
    public synchronized void pendingWritten(List<CommandRun> runs) {
        long now = System.currentTimeMillis();
        for (CommandRun run : runs) {
            touch(run.source().partition(), run.commandId(), now).pending = true;
        }
    }

    /** Notes an outcome whose transaction is committed: the command is done, and this record answered. */
    public synchronized void doneCommitted(CommandRun run, String outcomeAt) {
        Entry entry = touch(run.source().partition(), run.commandId(), System.currentTimeMillis());
        if (entry.outcomeAt == null && outcomeAt != null) {
            entry.outcomeAt = outcomeAt;
        }
        entry.answered.add(run.source().offset());
    }

    /** The outcome at {@code at} ({@code topic/partition/offset}), read back from its results topic for a duplicate. */
    public byte[] outcome(String at) {
        CommandSource position = CommandSource.parse(at);
        if (position == null) {
            throw new IllegalStateException("The ledger names no outcome position but '" + at + "'");
        }
        TopicPartition partition = new TopicPartition(position.topic(), position.partition());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> fetcher = new KafkaConsumer<>(consumerSettings())) {
            fetcher.assign(List.of(partition));
            fetcher.seek(partition, position.offset());
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : fetcher.poll(POLL)) {
                    if (record.offset() == position.offset()) {
                        return record.value();
                    }
                }
            }
        }
        throw new IllegalStateException("Could not read back the outcome at " + at + " within " + timeout);
    }

    /** How many commandIds this instance remembers (for its share of the partitions). */
    public synchronized int size() {
        return byPartition.values().stream().mapToInt(Map::size).sum();
    }

    private ObjectNode marker(String state, CommandRun run) {
        return mapper.createObjectNode().put("state", state).put("kind", kind).put("commandId", run.commandId())
            .put("source", run.source().toString()).put("instance", instance).put("ts_ms", System.currentTimeMillis());
    }

    private Message marker(CommandRun run, ObjectNode value) {
        try {
            Message record = RecordMessage.of(context, kind + ":" + run.commandId(), mapper.writeValueAsBytes(value));
            record.setHeader(KafkaConstants.PARTITION_KEY, ledgerPartition(run.source().partition()));
            return record;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write a ledger marker", e);
        }
    }

    private int ledgerPartition(int commandPartition) {
        return commandPartition % ledgerPartitions;
    }

    private LinkedHashMap<String, Entry> entries(int partition) {
        return byPartition.computeIfAbsent(partition, p -> new LinkedHashMap<>());
    }

    /** The entry for a commandId, moved to the young end; entries older than the window are forgotten. */
    private Entry touch(int partition, String commandId, long timestamp) {
        LinkedHashMap<String, Entry> entries = entries(partition);
        Entry entry = entries.remove(commandId);
        if (entry == null) {
            entry = new Entry();
        }
        entry.changed = timestamp;
        entries.put(commandId, entry);
        long oldest = System.currentTimeMillis() - window.toMillis();
        Iterator<Entry> eldest = entries.values().iterator();
        while (eldest.hasNext() && eldest.next().changed < oldest) {
            eldest.remove();
        }
        return entry;
    }

    /** The markers of one command partition, read from its ledger partition from the beginning to its end. */
    private LinkedHashMap<String, Entry> readBack(int commandPartition) {
        long started = System.nanoTime();
        LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
        byPartition.put(commandPartition, entries);
        TopicPartition ledger = new TopicPartition(topic, ledgerPartition(commandPartition));
        long deadline = System.nanoTime() + timeout.toNanos();
        long read = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerSettings())) {
            consumer.assign(List.of(ledger));
            consumer.seekToBeginning(List.of(ledger));
            long end = consumer.endOffsets(List.of(ledger), timeout).get(ledger);
            while (consumer.position(ledger, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Reading back " + ledger + " took longer than " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() < end) {
                        apply(commandPartition, record);
                        read++;
                    }
                }
            }
        }
        LOG.info("{} commands: read back {} markers of {} partition {} from {}: {} commandIds remembered ({} ms)", kind, read,
            commandTopic, commandPartition, ledger, entries.size(), (System.nanoTime() - started) / 1_000_000);
        return entries;
    }

    private void apply(int commandPartition, ConsumerRecord<String, byte[]> record) {
        if (record.key() == null || record.value() == null || !record.key().startsWith(kind + ":")
            || record.timestamp() < System.currentTimeMillis() - window.toMillis()) {
            return;
        }
        JsonNode marker;
        try {
            marker = mapper.readTree(record.value());
        } catch (IOException e) {
            LOG.warn("Ignoring a record on {} at offset {} that is not a ledger marker", topic, record.offset());
            return;
        }
        CommandSource source = CommandSource.parse(marker.path("source").asText(""));
        if (source == null || !source.topic().equals(commandTopic) || source.partition() != commandPartition) {
            return;
        }
        String commandId = record.key().substring(kind.length() + 1);
        Entry entry = touch(commandPartition, commandId, record.timestamp());
        switch (marker.path("state").asText()) {
            case "pending" -> entry.pending = true;
            case "done" -> {
                if (entry.outcomeAt == null) {
                    entry.outcomeAt = marker.path("outcome").asText(null);
                }
                entry.answered.add(source.offset());
            }
            default -> LOG.warn("Ignoring a ledger marker on {} at offset {} in state '{}'", topic, record.offset(),
                marker.path("state").asText());
        }
    }

    private Properties consumerSettings() {
        Properties properties = clients.grouplessConsumer();
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }

    /** The command partitions this set of assigned topic partitions holds of this ledger's command topic. */
    public Set<Integer> partitionsOf(Set<TopicPartition> assignment) {
        Set<Integer> owned = new HashSet<>();
        for (TopicPartition partition : assignment) {
            if (partition.topic().equals(commandTopic)) {
                owned.add(partition.partition());
            }
        }
        return owned;
    }
}
