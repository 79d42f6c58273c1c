package com.flowbridge.reports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.capture.ChangeRecords;
import com.flowbridge.capture.CycleFacts;
import com.flowbridge.capture.EmittedState;
import com.flowbridge.flow.FlowAnswerException;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.flow.FlowCallException;
import com.flowbridge.launch.AbandonedOnStop;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the reports route ({@code routes/flow-reports-to-kafka.camel.yaml}) that decide: which sessions are
 * past (what was last published about them on the sessions topic says {@code accessStatus} 3) and settled (past for
 * at least {@code flow.reports.settle-delay}, counted from the first cycle that saw them past), which of their
 * reports are due (never completed, cut off half-way, or asked for again since), and what to do when a report is
 * published or FLOW cannot serve it yet (try again later, with backoff; said once in the log).
 */
public final class ReportSchedule {

    static final int PAST = 3;
    private static final String CYCLE = "FlowReportsCycle";
    private static final String FACTS = "FlowReportFacts";
    private static final List<ReportKind> SESSION_REPORTS =
        List.of(ReportKind.REGISTRANTS, ReportKind.ATTENDEE_CHAT, ReportKind.OPERATOR_CHAT);
    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.reports");

    private final EmittedState sessions;
    private final ReportLedger ledger;
    private final ReportFacts facts;
    private final ChangeRecords records;
    private final FlowAnswers answers;
    private final ReportRetries retries;
    private final Duration settleDelay;
    private final int maxPerCycle;
    private final Clock clock;
    private final CycleFacts cycles;
    private final Map<String, Instant> firstSeenPast = new ConcurrentHashMap<>();

    /**
     * @param maxPerCycle the most reports (and survey lists) one cycle takes on; the rest wait for the next cycle
     */
    ReportSchedule(EmittedState sessions, ReportLedger ledger, ReportFacts facts, ChangeRecords records, FlowAnswers answers,
                   ReportRetries retries, Duration settleDelay, int maxPerCycle, Clock clock, CycleFacts cycles) {
        this.sessions = sessions;
        this.ledger = ledger;
        this.facts = facts;
        this.records = records;
        this.answers = answers;
        this.retries = retries;
        this.settleDelay = settleDelay;
        this.maxPerCycle = maxPerCycle;
        this.clock = clock;
        this.cycles = cycles;
    }

    /** Starts a cycle: reads back the sessions and the manifests, if not in memory yet, and finds the settled past sessions. */
    public void startCycle(Exchange exchange) {
        cycles.started(exchange, "reports");
        sessions.ensureLoaded();
        ledger.ensureLoaded();
        Instant now = clock.instant();
        exchange.setProperty(CYCLE, new ReportsCycle(now, settledPastSessions(now)));
    }

    /** The settled past sessions whose surveys are not listed yet (their set of reports is not known without them). */
    public List<String> sessionsToList(Exchange exchange) {
        ReportsCycle cycle = cycle(exchange);
        List<String> tokens = new ArrayList<>();
        for (String token : cycle.sessions) {
            if (tokens.size() < maxPerCycle && facts.surveys(token).isEmpty() && !retries.waiting(surveysTask(token), cycle.started)) {
                tokens.add(token);
            }
        }
        return tokens;
    }

    /**
     * FLOW's survey list for a session (the body of {@code GET .../surveys/{sessionToken}}): the record of the fact that
     * these are its surveys, for the state topic; remembered once committed ({@link #factsCommitted}).
     */
    public List<Message> surveysListed(String sessionToken, String body, Exchange exchange) {
        List<String> ids = new ArrayList<>();
        for (ObjectNode survey : answers.items(body)) {
            String id = survey.path("id").asText("");
            if (id.isBlank()) {
                LOG.warn("Session {}: FLOW lists a survey without an id, whose responses cannot be fetched: {}", sessionToken, survey);
            } else {
                ids.add(id);
            }
        }
        Map<String, String> listed = facts.surveysListed(sessionToken, ids, clock.instant());
        exchange.setProperty(FACTS, listed);
        return records.facts(facts.topic(), listed);
    }

    /** The survey list's fact is committed: remembered, and the session's surveys are no longer retried. */
    public void factsCommitted(String sessionToken, Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, String> written = exchange.getProperty(FACTS, Map.class);
        facts.remember(written);
        retries.succeeded(surveysTask(sessionToken));
    }

    public void surveysNotListed(String sessionToken, Exception failure) {
        notReady(surveysTask(sessionToken), "the survey list of session " + sessionToken, failure);
    }

    /** The reports to publish this cycle, each as a new run. */
    public List<ReportRun> dueReports(Exchange exchange) {
        ReportsCycle cycle = cycle(exchange);
        List<ReportRun> runs = new ArrayList<>();
        for (String token : cycle.sessions) {
            Optional<List<String>> surveys = facts.surveys(token);
            if (surveys.isEmpty()) {
                continue;
            }
            List<ReportId> reports = new ArrayList<>();
            SESSION_REPORTS.forEach(kind -> reports.add(ReportId.of(token, kind)));
            surveys.get().forEach(surveyId -> reports.add(ReportId.survey(token, surveyId)));
            for (ReportId report : reports) {
                if (runs.size() == maxPerCycle) {
                    return runs;
                }
                if (due(report) && !retries.waiting(report.key(), cycle.started)) {
                    runs.add(new ReportRun(report, ledger.lastAttempt(report) + 1, clock.instant()));
                }
            }
        }
        return runs;
    }

    /** After the completed manifest is on Kafka. */
    public void completed(Exchange exchange) {
        ReportRun run = ReportRun.of(exchange);
        run.close();
        ledger.completed(run);
        int failures = retries.succeeded(run.report().key());
        cycle(exchange).published(run);
        LOG.info("report {} published: {} rows ({} malformed) then its manifest, run {} attempt {}, from {}, {} ms{}",
            run.report(), run.rows(), run.malformedRows(), run.runId(), run.attempt(), run.source(),
            Duration.between(run.started(), clock.instant()).toMillis(),
            failures == 0 ? "" : " (FLOW could not serve it the " + failures + " time(s) before)");
    }

    /** The run failed: FLOW could not serve the report, or publishing broke off. Nothing is marked done; it is tried again later. */
    public void failed(Exchange exchange) {
        ReportRun run = ReportRun.of(exchange);
        run.close();
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (AbandonedOnStop.in(failure) != null) {
            // Its transaction is aborted: a read_committed consumer sees nothing of this run, the next start publishes it.
            AbandonedOnStop.sayOnce(exchange.getFromRouteId());
            return;
        }
        if (run.publishing()) {
            ledger.cutOff(run);
            cycle(exchange).cutOff();
            ReportRetries.Retry retry = retries.failed(run.report().key(), clock.instant());
            LOG.warn("report {} broke off after {} rows ({}); it is published again from its first row, as a new run, after {}",
                run, run.rows(), describe(failure), retry.notBefore());
        } else {
            cycle(exchange).notReady();
            notReady(run.report().key(), "report " + run.report(), failure);
        }
    }

    /** One summary line for a cycle that did something (and the cycle's fact, {@link CycleFacts}, either way). */
    public void endCycle(Exchange exchange) {
        // The parallel split over the reports has joined: every count is final and visible here.
        ReportsCycle cycle = cycle(exchange);
        String summary = String.format("reports cycle: %d reports published (%d rows, %d malformed), %d not served by FLOW yet, "
                + "%d broken off, %d ms", cycle.published, cycle.rows, cycle.malformed, cycle.notReady, cycle.cutOff,
            Duration.between(cycle.started, clock.instant()).toMillis());
        cycles.ended(exchange, cycle.rows, cycle.cutOff, summary);
        if (cycle.published + cycle.notReady + cycle.cutOff == 0) {
            LOG.debug("reports cycle: nothing due among {} settled past sessions", cycle.sessions.size());
        } else {
            LOG.info(summary);
        }
    }

    /** Whether the report was never completed, or was asked for again after its last completed run started. */
    private boolean due(ReportId report) {
        Optional<ReportLedger.Run> completed = ledger.completed(report);
        if (completed.isEmpty()) {
            return true;
        }
        return facts.requested(report.sessionToken(), report.kind())
            .filter(requested -> requested.toEpochMilli() > completed.get().startedMs())
            .isPresent();
    }

    private List<String> settledPastSessions(Instant now) {
        TreeSet<String> past = new TreeSet<>();
        for (String token : sessions.scope("").keySet()) {
            ObjectNode session = sessions.document("", token);
            if (session != null && session.path("accessStatus").asInt() == PAST) {
                past.add(token);
            }
        }
        firstSeenPast.keySet().retainAll(past);
        List<String> settled = new ArrayList<>();
        for (String token : past) {
            Instant seen = firstSeenPast.computeIfAbsent(token, t -> now);
            if (!now.isBefore(seen.plus(settleDelay))) {
                settled.add(token);
            }
        }
        return settled;
    }

    /** FLOW could not serve something yet: said at the first failure only, then retried quietly with backoff. */
    private void notReady(String task, String what, Exception failure) {
        ReportRetries.Retry retry = retries.failed(task, clock.instant());
        if (!isFlowFailure(failure)) {
            LOG.error("{} failed ({}); tried again after {}", what, describe(failure), retry.notBefore());
        } else if (retry.failures() == 1) {
            LOG.warn("{} is not available from FLOW yet ({}); asking again with backoff, first at {}", what, describe(failure),
                retry.notBefore());
        } else {
            LOG.debug("{} still not available from FLOW (failure {}): {}", what, retry.failures(), describe(failure));
        }
    }

    private static boolean isFlowFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FlowCallException || cause instanceof FlowAnswerException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown error";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FlowCallException || cause instanceof FlowAnswerException) {
                return cause.getMessage();
            }
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static String surveysTask(String sessionToken) {
        return "surveys:" + sessionToken;
    }

    private static ReportsCycle cycle(Exchange exchange) {
        ReportsCycle cycle = exchange.getProperty(CYCLE, ReportsCycle.class);
        if (cycle == null) {
            throw new IllegalStateException("startCycle must run first in the reports route");
        }
        return cycle;
    }

    /** What one cycle did, for its summary line. Reports are published in parallel: counts are updated under its lock. */
    static final class ReportsCycle {
        private final Instant started;
        private final List<String> sessions;
        private int published;
        private long rows;
        private long malformed;
        private int notReady;
        private int cutOff;

        ReportsCycle(Instant started, List<String> sessions) {
            this.started = started;
            this.sessions = sessions;
        }

        synchronized void published(ReportRun run) {
            published++;
            rows += run.rows();
            malformed += run.malformedRows();
        }

        synchronized void notReady() {
            notReady++;
        }

        synchronized void cutOff() {
            cutOff++;
        }
    }
}
