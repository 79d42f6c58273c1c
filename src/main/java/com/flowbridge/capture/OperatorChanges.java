package com.flowbridge.capture;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.flow.FlowAnswerException;
import com.flowbridge.kafka.StateStore;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the operators change-capture route ({@code routes/flow-operators-to-kafka.camel.yaml}): FLOW's
 * operator list compared with what flow.operators last said, keyed by the operator's {@code id}. An operator
 * missing from the list is deleted; but a list with no operator at all, when some were published, is taken
 * for a glitch (an account always has its owner) and the cycle is skipped.
 */
public final class OperatorChanges {

    public static final String ENTITY = "operator";
    static final String SNAPSHOT_FACT = "snapshot:operators";
    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.operators");

    private final EmittedState state;
    private final StateStore facts;
    private final ChangeDetector detector;
    private final ChangeRecords records;
    private final String endpoint;

    /**
     * @param endpoint the FLOW path the operators are listed from, named in each record's source
     */
    public OperatorChanges(EmittedState state, StateStore facts, ChangeDetector detector, ChangeRecords records, String endpoint) {
        this.state = state;
        this.facts = facts;
        this.detector = detector;
        this.records = records;
        this.endpoint = endpoint;
    }

    /** Starts a cycle: reads back what was published, if not in memory yet. */
    public void startCycle(Exchange exchange) {
        state.ensureLoaded();
        PollCycle.start(exchange);
    }

    /** The changes between FLOW's list and what was published. Operators without an id are left out (counted). */
    public List<Change> changes(List<ObjectNode> listed, Exchange exchange) {
        PollCycle cycle = PollCycle.of(exchange);
        Map<String, ObjectNode> byId = new LinkedHashMap<>();
        for (ObjectNode operator : listed) {
            JsonNode id = operator.get("id");
            if (id == null || !(id.isIntegralNumber() || id.isTextual()) || id.asText().isBlank()) {
                cycle.invalid++;
                continue;
            }
            byId.putIfAbsent(id.asText().strip(), operator);
        }
        cycle.seen = byId.size();
        Map<String, byte[]> published = state.scope("");
        if (byId.isEmpty() && !published.isEmpty()) {
            throw new FlowAnswerException("FLOW listed no operators, where " + published.size()
                + " were published; an account always has one, so nothing is deleted");
        }
        cycle.changes = detector.diff(ENTITY, "", published, byId, !facts.contains(SNAPSHOT_FACT));
        return cycle.changes;
    }

    public List<Message> records(Exchange exchange) {
        PollCycle cycle = PollCycle.of(exchange);
        return records.records(cycle.changes, state.topic(), endpoint, cycle.started);
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
        cycle.changes.forEach(state::remember);
        facts.rememberAll(cycle.facts);
        LOG.info("operators cycle: {} operators read from FLOW, {} changes published to {} {}, {} without an id, {} ms",
            cycle.seen, cycle.changes.size(), state.topic(), cycle.counts(), cycle.invalid, cycle.millis());
    }
}
