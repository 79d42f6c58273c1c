package com.flowbridge.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * flow-bridge's own small facts ("the first sessions snapshot is done", "this report is published"), kept
 * in a compacted Kafka topic rather than on local disk, so any instance can carry on from them.
 * Values are JSON text; a null value deletes the fact.
 */
public final class StateStore implements AutoCloseable {

    private final String topic;
    private final TopicReader reader;
    private final KafkaClients clients;
    private final Map<String, String> facts = new ConcurrentHashMap<>();
    private volatile KafkaProducer<String, String> producer;
    private volatile boolean loaded;

    public StateStore(String topic, TopicReader reader, KafkaClients clients) {
        this.topic = topic;
        this.reader = reader;
        this.clients = clients;
    }

    public String topic() {
        return topic;
    }

    public synchronized void ensureLoaded() {
        if (loaded) {
            return;
        }
        facts.clear();
        reader.readAll(topic, record -> {
            if (record.value() == null) {
                facts.remove(record.key());
            } else {
                facts.put(record.key(), record.value());
            }
        });
        loaded = true;
    }

    public void invalidate() {
        loaded = false;
    }

    public Optional<String> get(String key) {
        ensureLoaded();
        return Optional.ofNullable(facts.get(key));
    }

    public boolean contains(String key) {
        return get(key).isPresent();
    }

    /** Writes the fact and waits until Kafka has it. */
    public void put(String key, String value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not write " + key + " to " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing to " + topic, e);
        }
        if (value == null) {
            facts.remove(key);
        } else {
            facts.put(key, value);
        }
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(clients.producer());
                }
            }
        }
        return producer;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
