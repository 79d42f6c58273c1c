package com.flowbridge.capture;

import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.kafka.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What flow-bridge last published on one change topic: for every key still alive, the {@code after}
 * document (as {@link CanonicalJson} bytes). It is rebuilt by reading the compacted topic itself, so no local
 * disk is needed and a restart, or another instance taking over, continues exactly where publishing stopped.
 * Whenever publishing may have half-failed, {@link #invalidate()} makes the next cycle read the topic again
 * rather than guess what landed.
 */
public final class EmittedState {

    private static final Logger LOG = LoggerFactory.getLogger(EmittedState.class);

    private final String topic;
    private final boolean scoped;
    private final TopicReader reader;
    private final ObjectMapper mapper;
    private final CanonicalJson canonical;
    private final ConcurrentMap<String, ConcurrentMap<String, byte[]>> documents = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    /**
     * @param scoped whether keys are {@code scope:id} (registrants, scoped by session) rather than a bare id
     */
    public EmittedState(String topic, boolean scoped, TopicReader reader, ObjectMapper mapper, CanonicalJson canonical) {
        this.topic = topic;
        this.scoped = scoped;
        this.reader = reader;
        this.mapper = mapper;
        this.canonical = canonical;
    }

    public String topic() {
        return topic;
    }

    /** Reads the topic if this has not been done since start-up or since the last {@link #invalidate()}. */
    public synchronized void ensureLoaded() {
        if (loaded) {
            return;
        }
        long started = System.nanoTime();
        documents.clear();
        long records = reader.readAll(topic, this::apply);
        loaded = true;
        LOG.info("Read back {} records from {}: {} live keys remembered ({} ms)", records, topic, size(),
            (System.nanoTime() - started) / 1_000_000);
    }

    public void invalidate() {
        loaded = false;
    }

    /** The remembered documents of one scope (all of them for an unscoped topic), by id. */
    public Map<String, byte[]> scope(String scope) {
        Map<String, byte[]> byId = documents.get(scope);
        return byId == null ? Map.of() : Collections.unmodifiableMap(byId);
    }

    /** The remembered document of one entity, or null. */
    public ObjectNode document(String scope, String id) {
        byte[] bytes = scope(scope).get(id);
        return bytes == null ? null : canonical.read(bytes);
    }

    /** The scopes with at least one live document (the session tokens, for registrants). */
    public java.util.Set<String> scopes() {
        return Collections.unmodifiableSet(documents.keySet());
    }

    /** Remembers a change once it is safely on the topic. */
    public void remember(Change change) {
        if (change.op() == Op.DELETE) {
            forget(change.scope(), change.id());
        } else {
            put(change.scope(), change.id(), canonical.bytes(change.after()));
        }
    }

    public int size() {
        return documents.values().stream().mapToInt(Map::size).sum();
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            return;
        }
        String scope = "";
        String id = record.key();
        if (scoped) {
            int separator = id.indexOf(':');
            if (separator < 0) {
                LOG.warn("Ignoring a record on {} whose key '{}' is not scope:id", topic, id);
                return;
            }
            scope = id.substring(0, separator);
            id = id.substring(separator + 1);
        }
        if (record.value() == null) {
            forget(scope, id);
            return;
        }
        try {
            JsonNode envelope = mapper.readTree(record.value());
            JsonNode after = envelope.path("after");
            if (Op.DELETE.code().equals(envelope.path("op").asText()) || !after.isObject()) {
                forget(scope, id);
            } else {
                put(scope, id, canonical.bytes(after));
            }
        } catch (IOException e) {
            LOG.warn("Ignoring a record on {} at offset {} that is not a change envelope", topic, record.offset());
        }
    }

    private void put(String scope, String id, byte[] document) {
        documents.computeIfAbsent(scope, s -> new ConcurrentHashMap<>()).put(id, document);
    }

    private void forget(String scope, String id) {
        documents.computeIfPresent(scope, (s, byId) -> {
            byId.remove(id);
            return byId.isEmpty() ? null : byId;
        });
    }
}
