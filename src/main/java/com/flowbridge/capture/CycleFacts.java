package com.flowbridge.capture;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.launch.AbandonedOnStop;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The last cycle of each poll flow, as a fact on the state topic ({@code cycle:<collection>}): which instance ran it,
 * when, how it went, what it published, and if it failed why. The poll routes' configuration
 * ({@code routes/poll-cycles.camel.yaml}) writes it once each cycle is over, well or not, in a transaction of its own;
 * it is what {@code java -jar flow-bridge.jar status} reads to say how polling goes, from Kafka alone.
 * <p>
 * Value: {@code {"collection", "instance", "result": "ok"|"partial"|"failed", "startedAt", "endedAt", "published",
 * "failures", "summary", "reason"}}: {@code partial} when some of what the cycle reads could not be read (skipped this
 * cycle, read again at the next), {@code failed} when the cycle stopped ({@code reason} says why).
 */
public final class CycleFacts {

    private static final String CYCLE = "FlowCycleNote";

    private final ObjectMapper mapper;
    private final ChangeRecords records;
    private final StateStore facts;
    private final String instance;

    public CycleFacts(ObjectMapper mapper, ChangeRecords records, StateStore facts, String instance) {
        this.mapper = mapper;
        this.records = records;
        this.facts = facts;
        this.instance = instance;
    }

    /** The fact's key for a collection. */
    public static String key(String collection) {
        return "cycle:" + collection;
    }

    /** A cycle of {@code collection} begins on this exchange. */
    public void started(Exchange exchange, String collection) {
        exchange.setProperty(CYCLE, new Note(collection, Instant.now()));
    }

    /** The cycle ran to its end; {@code failures} counts what it could not read. */
    public void ended(Exchange exchange, long published, int failures, String summary) {
        Note note = note(exchange);
        if (note != null) {
            note.published = published;
            note.failures = failures;
            note.summary = summary;
        }
    }

    /** The cycle stopped, for {@code reason}. */
    public static void failed(Exchange exchange, String reason) {
        Note note = exchange.getProperty(CYCLE, Note.class);
        if (note != null && note.reason == null) {
            note.reason = reason;
        }
    }

    /**
     * Whether the exchange ran a cycle whose fact is to be written: not one refused before it began, nor one abandoned
     * because flow-bridge is stopping (its poller transactions are refused then; the next start polls again).
     */
    public boolean cycleRan(Exchange exchange) {
        return note(exchange) != null && !AbandonedOnStop.stopping(exchange.getContext());
    }

    /** The cycle's fact, for the state topic. */
    public List<Message> fact(Exchange exchange) {
        Note note = note(exchange);
        String result = note.reason != null || note.summary == null ? "failed" : note.failures == 0 ? "ok" : "partial";
        ObjectNode value = mapper.createObjectNode().put("collection", note.collection).put("instance", instance)
            .put("result", result).put("startedAt", note.started.toString()).put("endedAt", Instant.now().toString())
            .put("published", note.published).put("failures", note.failures).put("summary", note.summary)
            .put("reason", note.reason != null || note.summary != null ? note.reason : "the cycle was abandoned");
        try {
            note.written = mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a cycle fact", e);
        }
        return records.facts(facts.topic(), Map.of(key(note.collection), note.written));
    }

    /** Remembers the cycle's fact once committed. */
    public void committed(Exchange exchange) {
        Note note = note(exchange);
        if (note != null && note.written != null) {
            facts.remember(key(note.collection), note.written);
        }
    }

    private static Note note(Exchange exchange) {
        return exchange.getProperty(CYCLE, Note.class);
    }

    /** What one cycle did; one object, shared by the cycle's exchange and the copies its splits make. */
    private static final class Note {
        final String collection;
        final Instant started;
        volatile long published;
        volatile int failures;
        volatile String summary;
        volatile String reason;
        volatile String written;

        Note(String collection, Instant started) {
            this.collection = collection;
            this.started = started;
        }
    }
}
