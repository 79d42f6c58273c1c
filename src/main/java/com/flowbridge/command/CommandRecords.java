package com.flowbridge.command;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.apache.camel.Service;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
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
    /** Dead-letter headers of a record whose value was too large to be written again: why it is left out, and its size. */
    public static final String DLQ_VALUE_OMITTED = "dlq-value-omitted";
    public static final String DLQ_ORIGINAL_BYTES = "dlq-original-bytes";

    private final KafkaProducer<String, byte[]> producer;

    public CommandRecords(Properties producerSettings) {
        Properties settings = new Properties();
        settings.putAll(producerSettings);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "flow-bridge-commands");
        this.producer = new KafkaProducer<>(settings);
    }

    /**
     * The outcome of a command record, a CloudEvent like every record of a product topic: {@code ce_type}
     * {@code flow.<kind>.<status>} (e.g. {@code flow.registration.registered}), {@code ce_source} the FLOW endpoint the
     * command is carried out by, {@code ce_subject} the commandId, {@code ce_id} the same for the same command record.
     */
    Future<RecordMetadata> outcome(String topic, String key, byte[] outcome, CommandRun run, String status, CommandEvents events) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, outcome);
        Headers headers = record.headers();
        header(headers, COMMAND_ID, run.commandId());
        header(headers, COMMAND_STATUS, status);
        header(headers, COMMAND_SOURCE, run.source().toString());
        events.outcome(run, status, topic).forEach((name, attribute) -> header(headers, name, attribute));
        return producer.send(record);
    }

    /**
     * The command record as it was read (key and value untouched), with why it is a dead letter. A value Kafka refuses
     * as too large (over this producer's max.request.size, 1 MiB, or the dead-letter topic's max.message.bytes) is left
     * out of a second attempt, whose headers say so: a record too big to copy must not hold up the records behind it,
     * and the original is still on the command topic, where the source headers point.
     */
    Future<RecordMetadata> deadLetter(String topic, CommandRun run, String reason, String status, CommandEvents events) {
        CompletableFuture<RecordMetadata> written = new CompletableFuture<>();
        producer.send(deadLetterRecord(topic, run, reason, status, events, run.value()), (metadata, failure) -> {
            if (failure instanceof RecordTooLargeException && run.value() != null) {
                ProducerRecord<String, byte[]> withoutValue = deadLetterRecord(topic, run, reason, status, events, new byte[0]);
                header(withoutValue.headers(), DLQ_VALUE_OMITTED, "too large for " + topic + ": " + failure.getMessage());
                header(withoutValue.headers(), DLQ_ORIGINAL_BYTES, String.valueOf(run.value().length));
                // Not from this callback: it may run on the producer's own I/O thread, which a send could wait for.
                CompletableFuture.runAsync(() -> producer.send(withoutValue, (again, failed) -> complete(written, again, failed)));
            } else {
                complete(written, metadata, failure);
            }
        });
        return written;
    }

    private static ProducerRecord<String, byte[]> deadLetterRecord(String topic, CommandRun run, String reason, String status,
                                                                   CommandEvents events, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, run.key(), value);
        Headers headers = record.headers();
        header(headers, DLQ_REASON, reason);
        header(headers, DLQ_SOURCE_TOPIC, run.source().topic());
        header(headers, DLQ_SOURCE_PARTITION, String.valueOf(run.source().partition()));
        header(headers, DLQ_SOURCE_OFFSET, String.valueOf(run.source().offset()));
        header(headers, DLQ_TIME, Instant.now().toString());
        header(headers, COMMAND_ID, run.commandId());
        header(headers, COMMAND_STATUS, status);
        events.deadLetter(run, topic).forEach((name, attribute) -> header(headers, name, attribute));
        return record;
    }

    private static void complete(CompletableFuture<RecordMetadata> written, RecordMetadata metadata, Exception failure) {
        if (failure != null) {
            written.completeExceptionally(failure);
        } else {
            written.complete(metadata);
        }
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
