package com.flowbridge.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * The steps of the sessions change-capture route ({@code routes/flow-sessions-to-kafka.camel.yaml}) that
 * compare: which listed sessions look new or changed, which disappeared, and, once FLOW's event info is in,
 * which changes to publish (with a lifecycle record for each session whose accessStatus moved, see
 * {@link SessionLifecycle}). A session that disappears from the list is only deleted once FLOW's event info
 * answers 404 for it: a list answered while a session moved between periods, or a glitch, deletes nothing.
 */
public final class SessionChanges {

    public static final String ENTITY = "session";
    static final String SNAPSHOT_FACT = "snapshot:sessions";
    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.sessions");

    private final EmittedState state;
    private final StateStore facts;
    private final ChangeDetector detector;
    private final CanonicalJson canonical;
    private final FlowAnswers answers;
    private final ChangeRecords records;
    private final SessionLifecycle lifecycle;
    private final EventInfoMode mode;
    private final String endpoint;

    /**
     * @param endpoint the FLOW path the sessions are listed from, named in each record's source
     */
    public SessionChanges(EmittedState state, StateStore facts, ChangeDetector detector, CanonicalJson canonical,
                          FlowAnswers answers, ChangeRecords records, SessionLifecycle lifecycle, EventInfoMode mode,
                          String endpoint) {
        this.state = state;
        this.facts = facts;
        this.detector = detector;
        this.canonical = canonical;
        this.answers = answers;
        this.records = records;
        this.lifecycle = lifecycle;
        this.mode = mode;
        this.endpoint = endpoint;
    }

    /** Starts a cycle: reads back what was published, if not in memory yet. */
    public void startCycle(Exchange exchange) {
        state.ensureLoaded();
        PollCycle.start(exchange);
    }

    /**
     * One list from the answers for each period. A session listed twice (it moved to another period between
     * two requests) keeps its most advanced state.
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
        PollCycle cycle = PollCycle.of(exchange);
        Map<String, byte[]> published = state.scope("");
        Map<String, ObjectNode> byToken = new LinkedHashMap<>();
        for (ObjectNode session : listed) {
            JsonNode token = session.get("token");
            if (token == null || !token.isTextual() || token.asText().isBlank()) {
                cycle.invalid++;
                continue;
            }
            byToken.put(token.asText(), session);
        }
        cycle.seen = byToken.size();

        List<SessionCheck> checks = new ArrayList<>();
        byToken.forEach((token, session) -> {
            byte[] previous = published.get(token);
            boolean looksChanged = previous == null || (mode == EventInfoMode.NONE
                ? !Arrays.equals(previous, canonical.bytes(session))
                : !agrees(session, canonical.read(previous)));
            if (mode == EventInfoMode.EVERY) {
                checks.add(SessionCheck.listed(token, session, true));
            } else if (looksChanged) {
                checks.add(SessionCheck.listed(token, session, mode == EventInfoMode.CHANGED));
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

    /** The changes to publish, once the closer look is done. Sessions that could not be looked at wait for the next cycle. */
    public List<Change> changes(List<SessionCheck> checks, Exchange exchange) {
        PollCycle cycle = PollCycle.of(exchange);
        boolean snapshot = !facts.contains(SNAPSHOT_FACT);
        Map<String, byte[]> published = state.scope("");
        List<Change> changes = new ArrayList<>();
        for (SessionCheck check : checks) {
            byte[] previous = published.get(check.token());
            if (check.failure() != null) {
                cycle.skipped++;
                LOG.warn("Session {} skipped this cycle, will be retried next cycle: {}", check.token(), check.failure());
            } else if (check.gone()) {
                if (previous != null) {
                    changes.add(new Change(ENTITY, Op.DELETE, "", check.token(), canonical.read(previous), null));
                }
            } else {
                ObjectNode document = check.document();
                if (document != null) {
                    Change change = detector.compare(ENTITY, "", check.token(), previous, document, snapshot);
                    if (change != null) {
                        changes.add(change);
                    }
                }
            }
        }
        cycle.changes = changes;
        return changes;
    }

    /** The Kafka records of this cycle's changes, for the sessions topic. */
    public List<Message> records(Exchange exchange) {
        PollCycle cycle = PollCycle.of(exchange);
        return records.records(cycle.changes, state.topic(), endpoint, cycle.started);
    }

    /** A lifecycle record for each session whose accessStatus this cycle's changes move, for the lifecycle topic. */
    public List<Message> lifecycleRecords(Exchange exchange) {
        PollCycle cycle = PollCycle.of(exchange);
        return lifecycle.records(cycle.changes, cycle.started);
    }

    /** The facts written with the changes: that the first snapshot is done, the first time. */
    public List<Message> factRecords(Exchange exchange) {
        PollCycle cycle = PollCycle.of(exchange);
        cycle.facts = facts.contains(SNAPSHOT_FACT) ? Map.of() : Map.of(SNAPSHOT_FACT, PollCycle.snapshotDone());
        return records.facts(facts.topic(), cycle.facts);
    }

    /** Once the cycle's records are committed: remembers them, and logs the cycle. */
    public void published(Exchange exchange) {
        PollCycle cycle = PollCycle.of(exchange);
        List<Change> changes = cycle.changes;
        changes.forEach(state::remember);
        facts.rememberAll(cycle.facts);
        LOG.info("sessions cycle: {} sessions read from FLOW, {} changes published to {} {}, {} skipped, {} without a token, {} ms",
            cycle.seen, changes.size(), state.topic(), cycle.counts(), cycle.skipped, cycle.invalid, cycle.millis());
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
