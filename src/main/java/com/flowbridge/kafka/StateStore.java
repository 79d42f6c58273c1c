package com.flowbridge.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * flow-bridge's own small facts ("the first sessions snapshot is done", "these are a past session's surveys"), kept in a
 * compacted Kafka topic rather than on local disk, so any instance can carry on from them. Only the active poller writes
 * them, in its transactions; this is what was committed, read back, plus what was committed since.
 * Values are JSON text; a null value deletes the fact.
 */
public final class StateStore {

    private final String topic;
    private final TopicReader reader;
    /** Sorted, so that the facts of one prefix are a range rather than a scan of them all. */
    private final ConcurrentSkipListMap<String, String> facts = new ConcurrentSkipListMap<>();
    private volatile boolean loaded;

    public StateStore(String topic, TopicReader reader) {
        this.topic = topic;
        this.reader = reader;
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

    /**
     * Notes a fact once it is on the state topic: the poller writes its facts inside its cycle's Kafka transaction, as
     * records of the route ({@code to: kafka:{{kafka.topic.state}}}), and remembers them here only once that is committed.
     * A null value is a deleted fact.
     */
    public void remember(String key, String value) {
        ensureLoaded();
        if (value == null) {
            facts.remove(key);
        } else {
            facts.put(key, value);
        }
    }

    /** As {@link #remember(String, String)}, for each fact of a committed cycle. */
    public void rememberAll(Map<String, String> written) {
        written.forEach(this::remember);
    }

    /** The facts whose key starts with {@code prefix} (e.g. every signal's, {@code signal:}), key to value. */
    public Map<String, String> startingWith(String prefix) {
        ensureLoaded();
        Map<String, String> found = new TreeMap<>();
        for (Map.Entry<String, String> fact : facts.tailMap(prefix).entrySet()) {
            if (!fact.getKey().startsWith(prefix)) {
                break;
            }
            found.put(fact.getKey(), fact.getValue());
        }
        return found;
    }
}
