package com.flowbridge.capture;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.flow.FlowCallException;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.launch.AbandonedOnStop;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the registrants change-capture route ({@code routes/flow-registrants-to-kafka.camel.yaml}).
 * Each cycle picks the sessions worth polling from what flow.events last said about them
 * ({@link RegistrantPollWindow}), then, one session at a time on each fan-out thread: reads its registrants,
 * compares them with what flow.registrants last said for that session, publishes that session's changes as
 * one batch and remembers them. Nothing of all sessions' answers is held at once.
 *
 * <ul>
 *   <li>A session whose registrants cannot be read (after FLOW's retries) is skipped for this cycle, logged
 *       once with the reason and counted: none of its registrants are compared, so none is deleted.</li>
 *   <li>The first successful read of a session publishes its registrants as reads ({@code r}); later arrivals
 *       are creations ({@code c}). A fact per session ({@code snapshot:registrants:<token>}) remembers that
 *       first read.</li>
 *   <li>Registrants of a session that is gone from flow.events are deleted once FLOW confirms the session is
 *       gone (404 for its registrant list), as sessions themselves are.</li>
 *   <li>An answer exactly like the last one compared for the session is not parsed again ({@link LastAnswers}).</li>
 * </ul>
 */
public final class RegistrantChanges {

    public static final String ENTITY = "registrant";
    static final String SNAPSHOT_FACT_PREFIX = "snapshot:registrants:";
    private static final String CYCLE = "FlowRegistrantsCycle";
    private static final String SESSION_CHANGES = "FlowRegistrantChanges";
    private static final int REASONS_IN_SUMMARY = 3;
    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.registrants");

    private final EmittedState registrants;
    private final EmittedState sessions;
    private final StateStore facts;
    private final ChangeDetector detector;
    private final CanonicalJson canonical;
    private final FlowAnswers answers;
    private final ChangeRecords records;
    private final RegistrantPollWindow window;
    private final String pathTemplate;
    private final LastAnswers lastAnswers = new LastAnswers();

    /**
     * @param registrants  what was last published on flow.registrants
     * @param sessions     what was last published on flow.events (the sessionsState bean)
     * @param pathTemplate FLOW's registrant-list path, with {@code {sessionToken}}, named in each record's source
     */
    public RegistrantChanges(EmittedState registrants, EmittedState sessions, StateStore facts, ChangeDetector detector,
                             CanonicalJson canonical, FlowAnswers answers, ChangeRecords records, RegistrantPollWindow window,
                             String pathTemplate) {
        this.registrants = registrants;
        this.sessions = sessions;
        this.facts = facts;
        this.detector = detector;
        this.canonical = canonical;
        this.answers = answers;
        this.records = records;
        this.window = window;
        this.pathTemplate = pathTemplate;
    }

    /** Starts a cycle: reads back what was published about sessions and registrants, if not in memory yet. */
    public void startCycle(Exchange exchange) {
        sessions.ensureLoaded();
        registrants.ensureLoaded();
        exchange.setProperty(CYCLE, new Cycle(Instant.now()));
    }

    /**
     * The sessions to read this cycle: those flow.events has that are inside the poll window, and those it no
     * longer has whose registrants are still published. None until the first sessions cycle has completed.
     */
    public List<RegistrantCheck> sessionsToPoll(Exchange exchange) {
        Cycle cycle = cycle(exchange);
        if (!facts.contains(SessionChanges.SNAPSHOT_FACT)) {
            cycle.waiting = true;
            return List.of();
        }
        Instant now = Instant.now();
        Map<String, byte[]> known = sessions.scope("");
        List<RegistrantCheck> checks = new ArrayList<>();
        known.forEach((token, session) -> {
            if (window.polled(canonical.read(session), now)) {
                checks.add(RegistrantCheck.known(token));
            } else {
                cycle.outsideWindow++;
            }
        });
        for (String token : registrants.scopes()) {
            if (!known.containsKey(token)) {
                checks.add(RegistrantCheck.unknown(token));
            }
        }
        cycle.polled = checks.size();
        lastAnswers.retainOnly(checks.stream().map(RegistrantCheck::token).toList());
        return checks;
    }

    public RegistrantCheck withAnswer(RegistrantCheck check, String body) {
        String fingerprint = LastAnswers.fingerprint(body);
        if (lastAnswers.unchanged(check.token(), fingerprint, registrants.scope(check.token())) != null) {
            return check.unchanged(fingerprint);
        }
        return check.read(SessionRegistrants.of(check.token(), answers.items(body), canonical), fingerprint);
    }

    public RegistrantCheck withFailure(RegistrantCheck check, Exception failure) {
        if (failure instanceof AbandonedOnStop stopping) {
            throw stopping; // the whole cycle is abandoned, not this session counted as failed
        }
        if (failure instanceof FlowCallException call) {
            if (call.isNotFound() && !check.knownSession()) {
                return check.confirmedGone();
            }
            return check.failed(call.getMessage() + " after " + call.attempts() + (call.attempts() == 1 ? " attempt" : " attempts"));
        }
        return check.failed(failure.getMessage());
    }

    /**
     * The records of one session's changes (empty when nothing changed or the session could not be read); the
     * changes wait on the exchange until {@link #published} remembers them.
     */
    public List<Message> records(RegistrantCheck check, Exchange exchange) {
        Cycle cycle = cycle(exchange);
        String token = check.token();
        Map<String, byte[]> published = registrants.scope(token);
        List<Change> changes;
        switch (check.outcome()) {
            case FAILED -> {
                cycle.failed(token, check.failure());
                LOG.warn("Registrants of session {} not read this cycle (nothing published or deleted for it, retried next cycle): {}",
                    token, check.failure());
                return List.of();
            }
            case UNCHANGED -> {
                cycle.read(lastAnswers.last(token));
                return List.of();
            }
            case GONE -> {
                cycle.gone.incrementAndGet();
                changes = detector.diff(ENTITY, token, published, Map.of(), false);
            }
            case READ -> {
                SessionRegistrants read = check.registrants();
                cycle.read(read);
                boolean firstRead = !facts.contains(SNAPSHOT_FACT_PREFIX + token);
                changes = detector.diff(ENTITY, token, published, read.byEmail(), firstRead);
            }
            default -> throw new IllegalStateException("Registrants of session " + token + " were not read");
        }
        exchange.setProperty(SESSION_CHANGES, new SessionOutcome(check, changes, sessionFacts(check)));
        return records.records(changes, registrants.topic(), pathTemplate.replace("{sessionToken}", token), check.readAt());
    }

    /** Its first read noted ({@code snapshot:registrants:<token>}), or forgotten for a session that is gone. */
    private Map<String, String> sessionFacts(RegistrantCheck check) {
        String fact = SNAPSHOT_FACT_PREFIX + check.token();
        if (check.outcome() == RegistrantCheck.Outcome.GONE) {
            return facts.contains(fact) ? java.util.Collections.singletonMap(fact, null) : Map.of();
        }
        return facts.contains(fact) ? Map.of() : Map.of(fact, PollCycle.snapshotDone());
    }

    /** Whether the session read has anything to write: changes, or a fact. Most cycles' sessions have neither. */
    public boolean hasWrites(Exchange exchange) {
        SessionOutcome outcome = exchange.getProperty(SESSION_CHANGES, SessionOutcome.class);
        return outcome != null && !(outcome.changes().isEmpty() && outcome.facts().isEmpty());
    }

    /** The session's facts, written with its changes. */
    public List<Message> factRecords(Exchange exchange) {
        SessionOutcome outcome = exchange.getProperty(SESSION_CHANGES, SessionOutcome.class);
        return outcome == null ? List.of() : records.facts(facts.topic(), outcome.facts());
    }

    /**
     * Once a session's records are committed: remembers them and its facts, and the answer they came from (or forgets a
     * gone session).
     */
    public void published(Exchange exchange) {
        SessionOutcome outcome = exchange.getProperty(SESSION_CHANGES, SessionOutcome.class);
        if (outcome == null) {
            return;
        }
        RegistrantCheck check = outcome.check();
        outcome.changes().forEach(registrants::remember);
        facts.rememberAll(outcome.facts());
        cycle(exchange).published.addAll(outcome.changes());
        if (check.outcome() == RegistrantCheck.Outcome.GONE) {
            lastAnswers.forget(check.token());
            return;
        }
        lastAnswers.remember(check.token(), check.fingerprint(), check.registrants(), registrants.scope(check.token()));
    }

    /** Logs the cycle's one summary line. */
    public void endCycle(Exchange exchange) {
        Cycle cycle = cycle(exchange);
        if (cycle.waiting) {
            LOG.info("registrants cycle: waiting for the first sessions cycle to complete; nothing read");
            return;
        }
        LOG.info("registrants cycle: {} sessions polled ({} past the window left out, {} deleted), {} registrants seen, "
                + "{} changes published to {} {}, {}, {} duplicate emails merged, {} without an email, {} ms",
            cycle.polled, cycle.outsideWindow, cycle.gone.get(), cycle.seen.get(), cycle.published.total(),
            registrants.topic(), cycle.published, cycle.describeFailures(), cycle.duplicates.get(), cycle.withoutEmail.get(),
            Instant.now().toEpochMilli() - cycle.started.toEpochMilli());
    }

    private static Cycle cycle(Exchange exchange) {
        Cycle cycle = exchange.getProperty(CYCLE, Cycle.class);
        if (cycle == null) {
            throw new IllegalStateException("startCycle must run first in the registrants route");
        }
        return cycle;
    }

    /** One session's changes, between deciding them and remembering them once published. */
    private record SessionOutcome(RegistrantCheck check, List<Change> changes, Map<String, String> facts) {
    }

    /** What one cycle found, added to by the fan-out threads, for the one summary line it logs. */
    private static final class Cycle {
        private final Instant started;
        private boolean waiting;
        private int polled;
        private int outsideWindow;
        private final AtomicInteger gone = new AtomicInteger();
        private final AtomicLong seen = new AtomicLong();
        private final AtomicInteger duplicates = new AtomicInteger();
        private final AtomicInteger withoutEmail = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();
        private final Queue<String> reasons = new ConcurrentLinkedQueue<>();
        private final OpCounts published = new OpCounts();

        Cycle(Instant started) {
            this.started = started;
        }

        void read(SessionRegistrants read) {
            seen.addAndGet(read.byEmail().size());
            duplicates.addAndGet(read.duplicates());
            withoutEmail.addAndGet(read.withoutEmail());
        }

        void read(LastAnswers.Answer unchanged) {
            seen.addAndGet(unchanged.registrants());
            duplicates.addAndGet(unchanged.duplicates());
            withoutEmail.addAndGet(unchanged.withoutEmail());
        }

        void failed(String token, String reason) {
            if (failures.incrementAndGet() <= REASONS_IN_SUMMARY) {
                reasons.add(token + ": " + reason);
            }
        }

        String describeFailures() {
            int count = failures.get();
            if (count == 0) {
                return "0 failures";
            }
            String more = count > REASONS_IN_SUMMARY ? "; and " + (count - REASONS_IN_SUMMARY) + " more" : "";
            return count + (count == 1 ? " failure (" : " failures (") + String.join("; ", reasons) + more + ")";
        }
    }
}
