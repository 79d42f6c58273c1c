package com.flowbridge.redrive;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes redriven commands to their command topics: acknowledged by all in-sync replicas, idempotent (a retried send
 * is not written twice), each partition in the order sent. Sends do not wait; {@link #finish()} waits for them all.
 */
final class RedrivePublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    RedrivePublisher(Properties clientSettings) {
        Properties properties = new Properties();
        properties.putAll(clientSettings);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "flow-bridge-redrive");
        producer = new KafkaProducer<>(properties);
    }

    /** Sends {@code letter} again; fails at once if an earlier send failed, so that no later one overtakes it. */
    void send(DeadLetter letter) {
        throwIfFailed();
        producer.send(RedrivenCommand.of(letter), (metadata, error) -> {
            if (error == null) {
                acknowledged.incrementAndGet();
            } else {
                failure.compareAndSet(null, error);
            }
        });
    }

    /** Waits until every record sent is acknowledged; returns how many were, or fails with the first send that failed. */
    long finish() {
        producer.flush();
        throwIfFailed();
        return acknowledged.get();
    }

    /** Records acknowledged so far. */
    long acknowledged() {
        return acknowledged.get();
    }

    private void throwIfFailed() {
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("Kafka did not take a redriven command: " + error.getMessage(), error);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
