package com.flowbridge.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes records the way a CRM's Kafka producer would (acks=all), waiting for each to be acknowledged. */
public final class TestProducer implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    public TestProducer(String bootstrapServers) {
        this(bootstrapServers, new Properties());
    }

    /**
     * A CRM's producer configured to ride out a broker outage of up to {@code outage}: records wait in its buffer,
     * are retried (idempotently, so never doubled), and are delivered once the broker is back.
     */
    public static TestProducer patient(String bootstrapServers, Duration outage) {
        Properties properties = new Properties();
        long timeout = outage.plusMinutes(3).toMillis();
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeout));
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout));
        return new TestProducer(bootstrapServers, properties);
    }

    private TestProducer(String bootstrapServers, Properties extra) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.putAll(extra);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(properties);
    }

    public RecordMetadata send(String topic, String key, String value) {
        return send(topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends without waiting for the acknowledgement (get it from the future). */
    public Future<RecordMetadata> sendLater(String topic, String key, String value) {
        return producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8)));
    }

    public RecordMetadata send(String topic, String key, byte[] value) {
        return send(new ProducerRecord<>(topic, key, value));
    }

    /** A record written to one partition, as flow-bridge writes its ledger markers. */
    public RecordMetadata send(String topic, int partition, String key, String value) {
        return send(new ProducerRecord<>(topic, partition, key, value.getBytes(StandardCharsets.UTF_8)));
    }

    /** A record with these headers (UTF-8 values), as a CRM or an operator's tool may add them. */
    public RecordMetadata send(String topic, String key, String value, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8));
        headers.forEach((name, header) -> record.headers().add(name, header.getBytes(StandardCharsets.UTF_8)));
        return send(record);
    }

    private RecordMetadata send(ProducerRecord<String, byte[]> record) {
        String topic = record.topic();
        try {
            return producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not write to " + topic, e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
