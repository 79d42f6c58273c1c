package com.flowbridge.command;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Future;

import com.flowbridge.observe.Metrics;
import org.apache.camel.Service;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes what the command flows put on Kafka: outcomes, dead letters (the original bytes, with why and where
 * from in headers) and ledger markers. One producer (acks=all, idempotent), shared by every command flow;
 * sends return at once and are awaited per batch.
 */
public final class CommandRecords implements Service {

    /** Outcome header: the commandId. */
    public static final String COMMAND_ID = "command-id";
    /** Outcome header: the outcome's status. */
    public static final String COMMAND_STATUS = "command-status";
    /** Outcome header: the command record it answers, {@code topic/partition/offset}. */
    public static final String COMMAND_SOURCE = "command-source";
    /** Dead-letter headers: why, where from, and when. */
    public static final String DLQ_REASON = "dlq-reason";
    public static final String DLQ_SOURCE_TOPIC = "dlq-source-topic";
    public static final String DLQ_SOURCE_PARTITION = "dlq-source-partition";
    public static final String DLQ_SOURCE_OFFSET = "dlq-source-offset";
    public static final String DLQ_TIME = "dlq-time";

    private final KafkaProducer<String, byte[]> producer;
    private final Metrics metrics;

    public CommandRecords(Properties producerSettings, Metrics metrics) {
        this.metrics = metrics;
        Properties settings = new Properties();
        settings.putAll(producerSettings);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "flow-bridge-commands");
        this.producer = new KafkaProducer<>(settings);
    }

    /** The outcome of a command record. */
    Future<RecordMetadata> outcome(String topic, String key, byte[] outcome, CommandRun run, String status) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, outcome);
        Headers headers = record.headers();
        header(headers, COMMAND_ID, run.commandId());
        header(headers, COMMAND_STATUS, status);
        header(headers, COMMAND_SOURCE, run.source().toString());
        header(headers, "content-type", "application/json");
        return producer.send(record);
    }

    /** The command record as it was read (key and value untouched), with why it is a dead letter. */
    Future<RecordMetadata> deadLetter(String topic, CommandRun run, String reason) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, run.key(), run.value());
        Headers headers = record.headers();
        header(headers, DLQ_REASON, reason);
        header(headers, DLQ_SOURCE_TOPIC, run.source().topic());
        header(headers, DLQ_SOURCE_PARTITION, String.valueOf(run.source().partition()));
        header(headers, DLQ_SOURCE_OFFSET, String.valueOf(run.source().offset()));
        header(headers, DLQ_TIME, Instant.now().toString());
        header(headers, COMMAND_ID, run.commandId());
        // Counted once Kafka has it (flowbridge_dead_letters_total), so that alerting on dead letters sees each one.
        return producer.send(record, (written, failure) -> {
            if (failure == null) {
                metrics.deadLetter(topic);
            }
        });
    }

    Future<RecordMetadata> ledger(String topic, String key, byte[] marker) {
        return producer.send(new ProducerRecord<>(topic, key, marker));
    }

    private static void header(Headers headers, String name, String value) {
        headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void start() {
        // The producer connects on first use.
    }

    @Override
    public void stop() {
        producer.close();
    }
}
