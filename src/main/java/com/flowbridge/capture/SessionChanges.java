package com.flowbridge.capture;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.flow.FlowCallException;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.launch.AbandonedOnStop;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sessions route ({@code routes/flow-sessions-to-kafka.camel.yaml}) does that other polled entities do not: it
 * lists sessions once per period, looks closer at what seems new, changed or gone (FLOW's full event info), and decides
 * the changes itself, since a session missing from the lists is only deleted once its event info answers 404 (a list
 * answered while a session moved between periods, or a glitch, deletes nothing). From there its changes are published,
 * committed and remembered as any polled entity's ({@link EntityCapture}), with a lifecycle record for each session whose
 * accessStatus moved ({@link SessionLifecycle}).
 */
public final class SessionChanges implements PolledEntity {

    public static final String ENTITY = "session";
    static final String SNAPSHOT_FACT = "snapshot:sessions";
    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.sessions");

    private final EmittedState state;
    private final StateStore facts;
    private final ChangeDetector detector;
    private final CanonicalJson canonical;
    private final FlowAnswers answers;
    private final SessionLifecycle lifecycle;
    private final EventInfoMode mode;

    public SessionChanges(SessionLifecycle lifecycle, EventInfoMode mode, CaptureServices services) {
        this.state = services.sessions();
        this.facts = services.facts;
        this.detector = services.detector;
        this.canonical = services.canonical;
        this.answers = services.answers;
        this.lifecycle = lifecycle;
        this.mode = mode;
    }

    // ---- as a polled entity: FLOW lists sessions whole, keyed by their token

    @Override
    public String entity() {
        return ENTITY;
    }

    @Override
    public String collection() {
        return "sessions";
    }

    @Override
    public Scopes scopes(KnownSessions known, Instant now) {
        return Scopes.whole();
    }

    /** A session is the one a snapshot's filter names. */
    @Override
    public boolean inSession(String scope, String id, String sessionToken) {
        return id.equals(sessionToken);
    }

    @Override
    public String id(ObjectNode session) {
        JsonNode token = session.get("token");
        return token == null || !token.isTextual() || token.asText().isBlank() ? null : token.asText();
    }

    // ---- the closer look

    /**
     * One list from the answers for each period. A session listed twice (it moved to another period between two requests)
     * keeps its most advanced state.
     */
    public List<ObjectNode> merge(List<List<ObjectNode>> answersByPeriod) {
        Map<String, ObjectNode> byToken = new LinkedHashMap<>();
        for (List<ObjectNode> answer : answersByPeriod) {
            for (ObjectNode session : answer) {
                String token = session.path("token").asText("");
                ObjectNode seen = byToken.get(token);
                if (seen == null || session.path("accessStatus").asInt() > seen.path("accessStatus").asInt()) {
                    byToken.put(token, session);
                }
            }
        }
        return new ArrayList<>(byToken.values());
    }

    /** The sessions worth a closer look: new or changed ones, and those FLOW's list no longer shows. */
    public List<SessionCheck> candidates(List<ObjectNode> listed, Exchange exchange) {
        CaptureCycle cycle = CaptureCycle.of(exchange);
        Map<String, byte[]> published = state.scope("");
        Map<String, ObjectNode> byToken = new LinkedHashMap<>();
        for (ObjectNode session : listed) {
            String token = id(session);
            if (token == null) {
                cycle.withoutId.incrementAndGet();
            } else {
                byToken.put(token, session);
            }
        }
        cycle.seen.addAndGet(byToken.size());

        List<SessionCheck> checks = new ArrayList<>();
        Predicate<String> reread = cycle.snapshot.rereads("");
        byToken.forEach((token, session) -> {
            byte[] previous = published.get(token);
            boolean looksChanged = previous == null || (mode == EventInfoMode.NONE
                ? !Arrays.equals(previous, canonical.bytes(session))
                : !agrees(session, canonical.read(previous)));
            if (mode == EventInfoMode.EVERY) {
                checks.add(SessionCheck.listed(token, session, true));
            } else if (looksChanged) {
                checks.add(SessionCheck.listed(token, session, mode == EventInfoMode.CHANGED));
            } else if (reread.test(token)) {
                checks.add(SessionCheck.unchanged(token, session));
            }
        });
        for (String token : published.keySet()) {
            if (!byToken.containsKey(token)) {
                checks.add(SessionCheck.missing(token));
            }
        }
        return checks;
    }

    public SessionCheck withEventInfo(SessionCheck check, String body) {
        return check.withEventInfo(answers.object(body));
    }

    public SessionCheck withEventInfoFailure(SessionCheck check, Exception failure) {
        if (failure instanceof AbandonedOnStop stopping) {
            throw stopping; // the whole cycle is abandoned, not this session skipped
        }
        if (failure instanceof FlowCallException call && call.isNotFound()) {
            return check.confirmedGone();
        }
        return check.failed(failure.getMessage());
    }

    /**
     * The changes, once the closer look is done, as the scope of the cycle (then published like any entity's). Sessions
     * that could not be looked at wait for the next cycle.
     */
    public DecidedChanges changes(List<SessionCheck> checks, Exchange exchange) {
        CaptureCycle cycle = CaptureCycle.of(exchange);
        boolean snapshot = !facts.contains(SNAPSHOT_FACT);
        Predicate<String> reread = cycle.snapshot.rereads("");
        Map<String, byte[]> published = state.scope("");
        List<Change> changes = new ArrayList<>();
        for (SessionCheck check : checks) {
            byte[] previous = published.get(check.token());
            if (check.failure() != null) {
                cycle.failed(check.token(), check.failure());
                LOG.warn("Session {} skipped this cycle, will be retried next cycle: {}", check.token(), check.failure());
            } else if (check.gone()) {
                if (previous != null) {
                    changes.add(new Change(ENTITY, Op.DELETE, "", check.token(), canonical.read(previous), null));
                }
            } else {
                ObjectNode document = check.unchanged() ? canonical.read(previous) : check.document();
                if (document != null) {
                    Change change = detector.compare(ENTITY, "", check.token(), previous, document, snapshot,
                        reread.test(check.token()));
                    if (change != null) {
                        changes.add(change);
                    }
                }
            }
        }
        return new DecidedChanges(ScopeRead.decided("", cycle.started, cycle.snapshot.covers("")), changes);
    }

    /** A lifecycle record for each session whose accessStatus the decided changes move, for the lifecycle topic. */
    public List<Message> lifecycleRecords(DecidedChanges decided) {
        return lifecycle.records(decided.changes(), decided.read().readAt());
    }

    /** Whether every field the list shows has the value last published (the list carries fewer fields than the event info). */
    private static boolean agrees(ObjectNode listed, ObjectNode published) {
        for (Map.Entry<String, JsonNode> field : listed.properties()) {
            if (!field.getValue().equals(published.get(field.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
