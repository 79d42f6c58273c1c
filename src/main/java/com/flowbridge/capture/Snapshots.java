package com.flowbridge.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.kafka.Notifications;
import com.flowbridge.kafka.StateStore;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The snapshots signals ask for ({@code execute-snapshot}), carried out by the poll cycles themselves, so that a
 * snapshot and change capture never race on the same entities: a cycle of a covered entity also re-reads the scopes
 * the snapshot has not re-read yet, publishes what did not change as reads ({@code op: "r"}, {@code source.snapshot:
 * true}) and what did as its real change, and notes each scope done in the scope's own transaction. What is published
 * is remembered as always, so nothing after the snapshot looks changed.
 * <p>
 * All of it is facts on the state topic, written by the active poller in its transactions: {@code signal:<id>} (the
 * signal, a {@link SignalFact}, {@code status} STARTED until COMPLETED or ABORTED) and
 * {@code snapshot-scope:<id>:<collection>[:<scope>]} ({@code {"records": n}}, one per scope re-read, deleted once the
 * snapshot is complete). A new poller carries on where the last one's committed transactions end. Once every
 * collection of a snapshot has no scope left, the cycle that finished the last one notes it COMPLETED, with counts;
 * cycles that re-read scopes of a snapshot not yet complete notify IN_PROGRESS. Progress is written with the cycle's fact ({@code routes/poll-cycles.camel.yaml}).
 */
public final class Snapshots {

    public static final String TYPE = "execute-snapshot";
    static final String SCOPE_FACT = "snapshot-scope:";
    private static final String PROGRESS = "FlowSnapshotProgress";

    private final StateStore facts;
    private final ObjectMapper mapper;
    private final ChangeRecords records;
    private final Notifications notifications;
    private final Set<String> collections = ConcurrentHashMap.newKeySet();
    /** Per snapshot, the collections whose cycles found nothing left to re-read. */
    private final Map<String, Set<String>> complete = new HashMap<>();
    /** Snapshots whose COMPLETED is being written. */
    private final Set<String> completing = new HashSet<>();
    /**
     * Each signal fact as last parsed, by key: looked at on every tick of every poll route, so a fact is parsed once
     * per value, not once per tick.
     */
    private final Map<String, ParsedSignal> parsed = new ConcurrentHashMap<>();

    /** A snapshot under way, as its signal fact says: its collections and, if any, the one session it covers. */
    public record Request(SignalFact signal, List<String> collections, String sessionToken) {
        public String signalId() {
            return signal.signalId();
        }
    }

    public Snapshots(StateStore facts, ObjectMapper mapper, ChangeRecords records, Notifications notifications) {
        this.facts = facts;
        this.mapper = mapper;
        this.records = records;
        this.notifications = notifications;
    }

    /** A polled entity whose cycles carry out snapshots of its collection. */
    void enlist(String collection) {
        collections.add(collection);
    }

    /** The collections a snapshot may name: those of the polled entities running here. */
    public Set<String> collections() {
        return new TreeSet<>(collections);
    }

    static String scopeKey(String signalId, String collection, String scope) {
        return SCOPE_FACT + signalId + ":" + collection + (scope.isEmpty() ? "" : ":" + scope);
    }

    // ---- in a cycle

    /** What the snapshots under way ask of this cycle of {@code entity}: none while the cycle waits to read anything. */
    SnapshotWork work(PolledEntity entity, PolledEntity.KnownSessions known, PolledEntity.Scopes scopes) {
        if (scopes.waitingFor() != null) {
            return SnapshotWork.NONE;
        }
        List<Request> requests = underWay(entity.collection());
        if (requests.isEmpty()) {
            return SnapshotWork.NONE;
        }
        List<String> all = entity.snapshotScopes(known, scopes);
        List<SnapshotWork.Part> parts = new ArrayList<>();
        for (Request request : requests) {
            // One session's, for a filter: its scope whenever flow-bridge knows the session, polled lately or not.
            String token = request.sessionToken();
            List<String> covered = token == null || !entity.perSession() ? all
                : all.contains(token) || known.sessions().containsKey(token) ? List.of(token) : List.of();
            Set<String> toRead = new LinkedHashSet<>();
            covered.stream().filter(scope -> !facts.contains(scopeKey(request.signalId(), entity.collection(), scope)))
                .forEach(toRead::add);
            parts.add(new SnapshotWork.Part(request, covered, toRead));
        }
        return new SnapshotWork(entity, parts);
    }

    /**
     * At the end of a cycle that had snapshot work: how each snapshot stands now that the cycle's scopes are committed,
     * as the notifications and facts to write with the cycle's fact.
     */
    synchronized void cycleEnded(Exchange exchange, PolledEntity entity, SnapshotWork work) {
        List<Message> notified = new ArrayList<>();
        Map<String, String> written = new LinkedHashMap<>();
        List<String> completed = new ArrayList<>();
        String collection = entity.collection();
        for (SnapshotWork.Part part : work.parts()) {
            Request request = part.request();
            String id = request.signalId();
            long done = part.scopes().stream().filter(scope -> facts.contains(scopeKey(id, collection, scope))).count();
            boolean readThisCycle = part.toRead().stream().anyMatch(scope -> facts.contains(scopeKey(id, collection, scope)));
            if (done == part.scopes().size()) {
                complete.computeIfAbsent(id, signal -> new HashSet<>()).add(collection);
            }
            if (complete.getOrDefault(id, Set.of()).containsAll(request.collections()) && completing.add(id)) {
                completed.add(id);
                ObjectNode value = notifications.value(id, TYPE, Notifications.COMPLETED);
                ObjectNode counts = value.putObject("collections");
                for (String covered : request.collections()) {
                    Map<String, String> scopesDone = scopesDone(id, covered);
                    counts.putObject(covered).put("scopes", scopesDone.size()).put("records", records(scopesDone));
                    scopesDone.keySet().forEach(key -> written.put(key, null));
                }
                notified.add(notifications.record(value));
                written.put(SignalFact.key(id), request.signal().withStatus(Notifications.COMPLETED).json(mapper));
            } else if (readThisCycle) {
                ObjectNode value = notifications.value(id, TYPE, Notifications.IN_PROGRESS).put("collection", collection);
                value.putObject("scopes").put("done", done).put("total", part.scopes().size());
                value.put("records", records(scopesDone(id, collection)));
                notified.add(notifications.record(value));
            }
        }
        if (!notified.isEmpty()) {
            exchange.setProperty(PROGRESS, new Progress(notified, written, completed));
        }
    }

    // ---- written with the cycle's fact (routes/poll-cycles.camel.yaml)

    /** Whether the cycle moved a snapshot on: notifications and facts to write. */
    public boolean progressed(Exchange exchange) {
        return exchange.getProperty(PROGRESS, Progress.class) != null;
    }

    public List<Message> notifications(Exchange exchange) {
        return exchange.getProperty(PROGRESS, Progress.class).notifications();
    }

    /** The signal facts the cycle updates, for the state topic. */
    public List<Message> facts(Exchange exchange) {
        return records.facts(facts.topic(), exchange.getProperty(PROGRESS, Progress.class).facts());
    }

    /** Once committed: remembered (a completed snapshot's scope facts forgotten). */
    public synchronized void committed(Exchange exchange) {
        Progress progress = settle(exchange);
        if (progress != null) {
            facts.rememberAll(progress.facts());
        }
    }

    /** Not written: a later cycle says it again (a completed snapshot is found complete again). */
    public synchronized void notWritten(Exchange exchange) {
        settle(exchange);
    }

    /** The cycle's progress, taken off the exchange; the snapshots it completed no longer tracked here. */
    private Progress settle(Exchange exchange) {
        Progress progress = exchange.getProperty(PROGRESS, Progress.class);
        if (progress != null) {
            exchange.removeProperty(PROGRESS);
            progress.completed().forEach(id -> {
                completing.remove(id);
                complete.remove(id);
            });
        }
        return progress;
    }

    // ---- the signal facts

    /** The snapshots under way that cover {@code collection}, oldest signal id first. */
    List<Request> underWay(String collection) {
        List<Request> requests = new ArrayList<>();
        facts.startingWith(SignalFact.KEY_PREFIX).forEach((key, json) -> {
            Request request = parsed.compute(key, (signal, last) -> last != null && last.json().equals(json) ? last
                : new ParsedSignal(json, snapshotUnderWay(SignalFact.parse(mapper, json)))).snapshot();
            if (request != null && request.collections().contains(collection)) {
                requests.add(request);
            }
        });
        return requests;
    }

    /** The snapshot a signal fact asks for, if it is one and STARTED; else null. */
    private static Request snapshotUnderWay(SignalFact signal) {
        if (!signal.is(TYPE, Notifications.STARTED) || signal.data() == null) {
            return null;
        }
        List<String> covered = new ArrayList<>();
        signal.data().path("data-collections").forEach(name -> covered.add(name.asText()));
        JsonNode token = signal.data().path("filter").path("sessionToken");
        return new Request(signal, List.copyOf(covered), token.isTextual() ? token.asText() : null);
    }

    /** The scope facts of one collection of a snapshot. */
    private Map<String, String> scopesDone(String signalId, String collection) {
        String whole = scopeKey(signalId, collection, "");
        Map<String, String> found = new LinkedHashMap<>();
        facts.startingWith(whole).forEach((key, value) -> {
            if (key.equals(whole) || key.startsWith(whole + ":")) {
                found.put(key, value);
            }
        });
        return found;
    }

    private long records(Map<String, String> scopesDone) {
        return scopesDone.values().stream().mapToLong(value -> read(value).path("records").asLong()).sum();
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("A snapshot-scope fact is not JSON", e);
        }
    }

    /** A signal fact's value, and the snapshot under way it asks for (null if none). */
    private record ParsedSignal(String json, Request snapshot) {
    }

    /** What a cycle has to write about the snapshots it moved on. */
    private record Progress(List<Message> notifications, Map<String, String> facts, List<String> completed) {
    }
}
