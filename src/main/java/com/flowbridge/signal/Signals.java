package com.flowbridge.signal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.capture.ChangeRecords;
import com.flowbridge.capture.EmittedState;
import com.flowbridge.capture.SignalFact;
import com.flowbridge.capture.Snapshots;
import com.flowbridge.kafka.Notifications;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.launch.FailureText;
import com.flowbridge.redrive.Redrive;
import com.flowbridge.redrive.RedriveSummary;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the signals on flow-bridge.signals, on the active poller ({@code routes/signals.camel.yaml}). Each signal is
 * noted on the state topic ({@code signal:<id>}) with its first notification, in one of the poller's transactions:
 * <ul>
 *   <li>a bad one (not JSON, no id, an unknown type, a collection flow-bridge does not poll, a session it does not
 *       know...) is ABORTED, the reason naming each bad field;</li>
 *   <li>a snapshot is STARTED: from then on the poll cycles carry it out ({@link Snapshots}), whichever instance polls;</li>
 *   <li>a redrive is STARTED, carried out here, then COMPLETED with its counts (or ABORTED saying why).</li>
 * </ul>
 * A signal taken before (the same id: a copy, or one read again after a failover) is not carried out again, except a
 * redrive that was STARTED and not finished: it runs again, which sends nothing twice (see {@link Redrive}).
 */
public final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.signals");
    private static final String TAKEN = "FlowSignalTaken";

    private final SignalParser parser;
    private final StateStore facts;
    private final EmittedState sessions;
    private final ChangeRecords records;
    private final Notifications notifications;
    private final ObjectMapper mapper;
    private final Properties kafkaClient;

    public Signals(SignalParser parser, StateStore facts, EmittedState sessions, ChangeRecords records,
                   Notifications notifications, ObjectMapper mapper, Properties kafkaClient) {
        this.parser = parser;
        this.facts = facts;
        this.sessions = sessions;
        this.records = records;
        this.notifications = notifications;
        this.mapper = mapper;
        this.kafkaClient = kafkaClient;
    }

    /** The signal record just read: what to note of it (nothing for one taken before). */
    public void take(Exchange exchange) {
        Message in = exchange.getMessage();
        String coordinates = in.getHeader(KafkaConstants.TOPIC, String.class) + "/" + in.getHeader(KafkaConstants.PARTITION)
            + "/" + in.getHeader(KafkaConstants.OFFSET);
        Signal signal = parser.parse(in.getBody(byte[].class), coordinates);
        Taken taken = new Taken(signal);
        exchange.setProperty(TAKEN, taken);
        SignalFact before = facts.get(SignalFact.key(signal.id())).map(json -> SignalFact.parse(mapper, json)).orElse(null);
        if (before != null) {
            taken.runRedrive = before.is(SignalParser.REDRIVE, Notifications.STARTED) && signal.valid();
            LOG.info("Signal {} was taken before ({}){}", signal.id(), before.status(),
                taken.runRedrive ? ": its redrive runs again, which sends nothing twice" : "; this copy is ignored");
            return;
        }
        String problem = signal.valid() ? problemOf(signal) : signal.problem();
        if (problem != null) {
            LOG.warn("Signal {} ABORTED: {}", signal.id(), problem);
            taken.note(notifications.aborted(signal.id(), signal.type(), problem), fact(signal, Notifications.ABORTED, problem));
            return;
        }
        ObjectNode started = notifications.value(signal.id(), signal.type(), Notifications.STARTED);
        started.set("data", signal.data());
        LOG.info("Signal {} ({}) STARTED: {}", signal.id(), signal.type(), signal.data());
        taken.note(notifications.record(started), fact(signal, Notifications.STARTED, null));
        taken.runRedrive = SignalParser.REDRIVE.equals(signal.type());
    }

    /** Whether there is a notification and fact to write. */
    public boolean hasNotes(Exchange exchange) {
        return !taken(exchange).notifications.isEmpty();
    }

    public List<Message> notifications(Exchange exchange) {
        return taken(exchange).notifications;
    }

    public List<Message> facts(Exchange exchange) {
        return records.facts(facts.topic(), taken(exchange).facts);
    }

    /** Once committed: the facts remembered, the notes cleared (for what comes next for the same signal). */
    public void committed(Exchange exchange) {
        Taken taken = taken(exchange);
        facts.rememberAll(taken.facts);
        taken.notifications.clear();
        taken.facts.clear();
    }

    /** Whether the signal is a redrive to carry out now. */
    public boolean isRedrive(Exchange exchange) {
        return taken(exchange).runRedrive;
    }

    /** Carries out the redrive; notes it COMPLETED with its counts, or ABORTED saying why. */
    public void redrive(Exchange exchange) {
        Taken taken = taken(exchange);
        Signal signal = taken.signal;
        taken.runRedrive = false;
        try {
            RedriveSummary summary = parser.redriveOf(signal).run(kafkaClient, Redrive.Watcher.NONE);
            ObjectNode completed = notifications.value(signal.id(), signal.type(), Notifications.COMPLETED)
                .put("read", summary.readCount()).put("redriven", summary.redriven())
                .put("dryRun", signal.data().path("dry-run").asBoolean(false)).put("summary", summary.line());
            ObjectNode left = completed.putObject("left");
            summary.left().forEach(left::put);
            if (summary.limitReached() != null) {
                completed.put("limitReached", summary.limitReached());
            }
            LOG.info("Signal {} COMPLETED: {}", signal.id(), summary.line());
            taken.note(notifications.record(completed), fact(signal, Notifications.COMPLETED, null));
        } catch (RuntimeException e) {
            String reason = "the redrive failed: " + FailureText.of(e);
            LOG.warn("Signal {} ABORTED: {}", signal.id(), reason);
            taken.note(notifications.aborted(signal.id(), signal.type(), reason), fact(signal, Notifications.ABORTED, reason));
        }
    }

    /** The signal is taken: its offset is committed, so that the group's next reader starts after it. */
    public void done(Exchange exchange) {
        exchange.removeProperty(TAKEN);
        KafkaManualCommit commit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit != null) {
            commit.commit();
        }
    }

    /** What a valid signal asks that cannot be done, or null. */
    private String problemOf(Signal signal) {
        JsonNode token = signal.data().path("filter").path("sessionToken");
        if (Snapshots.TYPE.equals(signal.type()) && token.isTextual()) {
            sessions.ensureLoaded();
            if (!sessions.scope("").containsKey(token.asText())) {
                return "data.filter.sessionToken '" + token.asText() + "' is not a session on " + sessions.topic();
            }
        }
        return null;
    }

    private Map.Entry<String, String> fact(Signal signal, String status, String reason) {
        SignalFact fact = new SignalFact(signal.id(), signal.type(), status, Instant.now().toString(), signal.data(), reason);
        return Map.entry(SignalFact.key(signal.id()), fact.json(mapper));
    }

    private static Taken taken(Exchange exchange) {
        return exchange.getProperty(TAKEN, Taken.class);
    }

    /** One signal on its way: what to write of it next. */
    private static final class Taken {
        final Signal signal;
        final List<Message> notifications = new ArrayList<>();
        final Map<String, String> facts = new LinkedHashMap<>();
        boolean runRedrive;

        Taken(Signal signal) {
            this.signal = signal;
        }

        void note(Message notification, Map.Entry<String, String> fact) {
            notifications.add(notification);
            facts.put(fact.getKey(), fact.getValue());
        }
    }
}
