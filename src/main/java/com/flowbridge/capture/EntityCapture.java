package com.flowbridge.capture;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.flow.FlowCallException;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.launch.AbandonedOnStop;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture pattern, the same for every polled entity ({@code routes/flow-capture-template.camel.yaml}, and the
 * sessions route): a cycle reads back what was published, reads FLOW scope by scope, compares each answer with what
 * was last published for that scope, publishes the scope's changes and facts in one Kafka transaction, and remembers
 * them once it is committed; then it logs one summary line and notes the cycle ({@link CycleFacts}). What differs between
 * entities is a {@link PolledEntity}.
 * <ul>
 *   <li>The first time a scope is read, its entities are reads ({@code r}, {@code source.snapshot} true): they existed
 *       when flow-bridge first looked. A fact ({@code snapshot:<collection>[:<scope>]}) remembers that first read, in the
 *       same transaction as the reads.</li>
 *   <li>A scope FLOW does not answer for (after its retries) is skipped this cycle, logged once with the reason and
 *       counted: nothing of it is compared, so nothing of it is deleted.</li>
 *   <li>A scope FLOW says is gone has its entities deleted ({@code d}, then a tombstone), and its snapshot fact forgotten.</li>
 *   <li>An answer exactly like the last one compared for the scope is not parsed again ({@link LastAnswers}).</li>
 * </ul>
 */
public final class EntityCapture {

    private static final String SCOPE_CHANGES = "FlowScopeChanges";

    private final PolledEntity entity;
    private final EmittedState state;
    private final EmittedState sessions;
    private final StateStore facts;
    private final ChangeDetector detector;
    private final ChangeRecords records;
    private final CanonicalJson canonical;
    private final FlowAnswers answers;
    private final CycleFacts cycles;
    private final Snapshots snapshots;
    private final String pathTemplate;
    private final Logger log;
    private final LastAnswers lastAnswers = new LastAnswers();
    private final long intervalNanos;
    private final long halfTickNanos;
    private volatile long lastStarted;
    /** The snapshots a cycle of this entity has begun on: each makes one cycle start early, no more. */
    private final Set<String> snapshotsBegun = ConcurrentHashMap.newKeySet();

    /**
     * @param topic        where the entity's changes are published, and read back from
     * @param pathTemplate the FLOW path the entity is read from, with {@code {sessionToken}} for one listed per session
     * @param interval     how often a cycle starts, e.g. {@code 60s}
     */
    public EntityCapture(PolledEntity entity, String topic, String pathTemplate, String interval, CaptureServices services) {
        this.entity = entity;
        this.state = services.changeTopic(topic, entity.perSession());
        this.sessions = services.sessions();
        this.facts = services.facts;
        this.detector = services.detector;
        this.records = services.records;
        this.canonical = services.canonical;
        this.answers = services.answers;
        this.cycles = services.cycles;
        this.snapshots = services.snapshots;
        this.pathTemplate = pathTemplate;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(TimeUtils.toMilliSeconds(interval));
        this.halfTickNanos = services.pollTick.toNanos() / 2;
        snapshots.enlist(entity.collection());
        this.log = LoggerFactory.getLogger("flow-bridge." + entity.collection());
    }

    public String collection() {
        return entity.collection();
    }

    public String topic() {
        return state.topic();
    }

    // ---- a cycle

    /**
     * Whether a cycle is due at this tick: the interval has passed since the last one began (give or take half a tick:
     * the timer's ticks come a little early or late), or a signal asked for a snapshot of this entity that no cycle here
     * has begun on yet (it need not wait for the interval).
     */
    public boolean due() {
        if (lastStarted == 0 || System.nanoTime() - lastStarted >= intervalNanos - halfTickNanos) {
            return true;
        }
        return snapshots.underWay(entity.collection()).stream().anyMatch(request -> !snapshotsBegun.contains(request.signalId()));
    }

    public boolean notDue() {
        return !due();
    }

    /**
     * Starts a cycle: reads back what was published, if not in memory yet, and says which scopes to read. None until the
     * first sessions cycle has completed, for an entity FLOW lists per session. A signal's snapshot under way adds the
     * scopes it has still to re-read ({@link Snapshots}).
     */
    public List<ScopeRead> startCycle(Exchange exchange) {
        lastStarted = System.nanoTime();
        cycles.started(exchange, entity.collection());
        sessions.ensureLoaded();
        state.ensureLoaded();
        facts.ensureLoaded();
        PolledEntity.Scopes due = entity.scopes(known(), Instant.now());
        SnapshotWork snapshot = snapshots.work(entity, known(), due);
        snapshots.underWay(entity.collection()).forEach(request -> snapshotsBegun.add(request.signalId()));
        PolledEntity.Scopes scopes = snapshot.addTo(due);
        CaptureCycle.start(exchange, scopes, snapshot);
        lastAnswers.retainOnly(scopes.toRead());
        return scopes.toRead().stream().map(scope -> ScopeRead.pending(scope, snapshot.covers(scope))).toList();
    }

    /** FLOW's answer for a scope (one a snapshot re-reads is compared whole, even when FLOW answered as last time). */
    public ScopeRead answered(ScopeRead read, String body) {
        String fingerprint = LastAnswers.fingerprint(body);
        if (!read.snapshot() && lastAnswers.unchanged(read.scope(), fingerprint, state.scope(read.scope())) != null) {
            return read.unchanged(fingerprint);
        }
        return read.read(entity, answers.items(body), fingerprint);
    }

    /** FLOW did not answer well for a scope: skipped this cycle, or gone where the entity says a 404 means so. */
    public ScopeRead failed(ScopeRead read, Exception failure) {
        if (failure instanceof AbandonedOnStop stopping) {
            throw stopping; // the whole cycle is abandoned, not this scope counted as failed
        }
        if (failure instanceof FlowCallException call) {
            if (call.isNotFound() && entity.goneWhenNotFound(read.scope(), known())) {
                return read.gone();
            }
            return read.failed(call.getMessage() + " after " + call.attempts() + (call.attempts() == 1 ? " attempt" : " attempts"));
        }
        return read.failed(failure.getMessage());
    }

    /**
     * The change records of a scope just read (none when nothing changed, or it could not be read); its changes and facts
     * wait on the exchange until {@link #published} remembers them.
     */
    public List<Message> changes(ScopeRead read, Exchange exchange) {
        CaptureCycle cycle = CaptureCycle.of(exchange);
        String scope = read.scope();
        Map<String, byte[]> published = state.scope(scope);
        List<Change> changes;
        switch (read.outcome()) {
            case FAILED -> {
                cycle.failed(scope, read.failure());
                String collection = Character.toUpperCase(entity.collection().charAt(0)) + entity.collection().substring(1);
                log.warn("{}{} not read this cycle (nothing published or deleted for it, retried next cycle): {}", collection,
                    scope.isEmpty() ? "" : " of session " + scope, read.failure());
                return List.of();
            }
            case UNCHANGED -> {
                cycle.read(lastAnswers.last(scope));
                return List.of();
            }
            case GONE -> {
                cycle.gone.incrementAndGet();
                changes = detector.diff(entity.entity(), scope, published, Map.of(), false, id -> false);
            }
            case READ -> {
                cycle.read(read);
                entity.check(scope, read.items(), published);
                changes = detector.diff(entity.entity(), scope, published, read.items(), !facts.contains(snapshotFact(scope)),
                    cycle.snapshot.rereads(scope));
            }
            default -> throw new IllegalStateException(entity.collection() + " of scope '" + scope + "' were not read");
        }
        return decided(new DecidedChanges(read, changes), exchange);
    }

    /**
     * The records of changes a route decided itself for a scope (sessions: its lists and their closer look), handled from
     * here on like any other scope's.
     */
    public List<Message> decided(DecidedChanges decided, Exchange exchange) {
        ScopeRead read = decided.read();
        List<Change> changes = decided.changes();
        Map<String, String> scopeFacts = new LinkedHashMap<>(scopeFacts(read));
        if (read.snapshot()) {
            scopeFacts.putAll(CaptureCycle.of(exchange).snapshot.doneFacts(read.scope(), changes));
        }
        exchange.setProperty(SCOPE_CHANGES, new ScopeChanges(read, changes, scopeFacts));
        String endpoint = pathTemplate.replace("{sessionToken}", read.scope());
        return records.records(changes, state.topic(), endpoint, read.readAt() == null ? Instant.now() : read.readAt());
    }

    /** Whether the scope has anything to write: changes, or a fact. Most cycles' scopes have neither. */
    public boolean hasWrites(Exchange exchange) {
        ScopeChanges scope = exchange.getProperty(SCOPE_CHANGES, ScopeChanges.class);
        return scope != null && !(scope.changes().isEmpty() && scope.facts().isEmpty());
    }

    /** The facts written with the scope's changes. */
    public List<Message> factRecords(Exchange exchange) {
        ScopeChanges scope = exchange.getProperty(SCOPE_CHANGES, ScopeChanges.class);
        return scope == null ? List.of() : records.facts(facts.topic(), scope.facts());
    }

    /**
     * Once a scope's records are committed (or it had nothing to write): remembers its changes and facts, and the answer
     * they came from (or forgets a gone scope).
     */
    public void published(Exchange exchange) {
        ScopeChanges scope = exchange.getProperty(SCOPE_CHANGES, ScopeChanges.class);
        if (scope == null) {
            return;
        }
        exchange.removeProperty(SCOPE_CHANGES);
        scope.changes().forEach(state::remember);
        facts.rememberAll(scope.facts());
        CaptureCycle.of(exchange).published(scope.changes());
        ScopeRead read = scope.read();
        if (read.outcome() == ScopeRead.Outcome.GONE) {
            lastAnswers.forget(read.scope());
        } else if (read.fingerprint() != null) {
            lastAnswers.remember(read, state.scope(read.scope()));
        }
    }

    /**
     * Logs the cycle's one summary line, which its fact ({@link CycleFacts}) keeps too, and says how the snapshots it
     * worked on stand.
     */
    public void endCycle(Exchange exchange) {
        CaptureCycle cycle = CaptureCycle.of(exchange);
        String summary = summary(cycle);
        log.info(summary);
        cycles.ended(exchange, cycle.published.total(), cycle.failures(), summary);
        if (!cycle.snapshot.isEmpty()) {
            snapshots.cycleEnded(exchange, entity, cycle.snapshot);
        }
    }

    private String summary(CaptureCycle cycle) {
        PolledEntity.Scopes scopes = cycle.scopes;
        String collection = entity.collection();
        if (scopes.waitingFor() != null) {
            return String.format("%s cycle: waiting for %s; nothing read", collection, scopes.waitingFor());
        }
        int read = scopes.toRead().size();
        int leftOut = scopes.leftOut();
        int gone = cycle.gone.get();
        // "(3 sessions, 2 past the window left out, 0 gone)"; nothing to say for an entity FLOW lists whole.
        String scopesRead = read == 1 && leftOut + gone == 0 && scopes.toRead().get(0).isEmpty() ? ""
            : " (" + read + " " + scopes.noun() + (read == 1 ? "" : "s")
                + (leftOut == 0 ? "" : ", " + leftOut + " " + scopes.leftOutBecause() + " left out")
                + (gone == 0 ? "" : ", " + gone + " gone") + ")";
        return String.format("%s cycle: %d %s read from FLOW%s, %d changes published to %s %s, %s, %d duplicates merged, "
                + "%d without an id, %d ms", collection, cycle.seen.get(), collection, scopesRead, cycle.published.total(),
            state.topic(), cycle.published, cycle.describeFailures(), cycle.duplicates.get(), cycle.withoutId.get(), cycle.millis());
    }

    /** The scope's first read noted ({@code snapshot:<collection>[:<scope>]}), or forgotten for a scope that is gone. */
    private Map<String, String> scopeFacts(ScopeRead read) {
        String fact = snapshotFact(read.scope());
        if (read.outcome() == ScopeRead.Outcome.GONE) {
            return facts.contains(fact) ? Collections.singletonMap(fact, null) : Map.of();
        }
        return facts.contains(fact) ? Map.of() : Map.of(fact, snapshotDone());
    }

    private String snapshotFact(String scope) {
        return "snapshot:" + entity.collection() + (scope.isEmpty() ? "" : ":" + scope);
    }

    /** The value of a "first read done" fact. */
    static String snapshotDone() {
        return "{\"completedAt\":\"" + Instant.now() + "\"}";
    }

    private PolledEntity.KnownSessions known() {
        return new PolledEntity.KnownSessions() {
            private Map<String, ObjectNode> documents;

            @Override
            public Map<String, ObjectNode> sessions() {
                if (documents == null) {
                    documents = new LinkedHashMap<>();
                    sessions.scope("").forEach((token, bytes) -> documents.put(token, canonical.read(bytes)));
                }
                return documents;
            }

            @Override
            public Set<String> publishedScopes() {
                return state.scopes();
            }

            @Override
            public boolean complete() {
                return facts.contains(SessionChanges.SNAPSHOT_FACT);
            }
        };
    }

    /** One scope's changes and facts, between deciding them and remembering them once committed. */
    private record ScopeChanges(ScopeRead read, List<Change> changes, Map<String, String> facts) {
    }
}
