package com.flowbridge.flow;

import java.time.Duration;
import java.util.ArrayDeque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request rate FLOW is sent, found rather than guessed. FLOW's quota is a number of requests per second it does
 * not document; it says so only by refusing (429, or 503 when overloaded). So the rate:
 * <ul>
 *   <li><b>grows</b> while FLOW answers well and the rate is what holds requests back: it doubles every
 *       {@value #GROWTH_STEP_MS} ms (slow start), up to the ceiling ({@code flow.api.rate-limit});</li>
 *   <li><b>learns</b> when FLOW pushes back (a 429; 503s unless a few among many good answers, which are about
 *       one resource FLOW cannot serve yet) while most answers are still good: what FLOW served of the requests sent
 *       in the second before the one it refused is its limit (counted again once their answers are all in), and the
 *       rate settles at {@code margin} of it (0.9: 36 of 40 a second), where it stays instead of oscillating through
 *       it; refused again at that rate (FLOW counts requests that bunched up on the way), it settles 5 % lower, the
 *       limit unchanged, down to 0.7 of the limit;</li>
 *   <li><b>halves</b> when FLOW pushes back while refusing most requests (an outage, a spent quota), keeping what it
 *       learned before (the first refusal of an outage looks like a limit; the next second tells them apart), and
 *       grows back to it as soon as FLOW answers well again;</li>
 *   <li><b>pauses</b> every request until the time a {@code Retry-After} asks for;</li>
 *   <li>once every {@code probe-interval}, while it is what holds requests back, <b>probes</b> above what it learned
 *       (slow start again), in case FLOW's limit has grown.</li>
 * </ul>
 * One pushback changes the rate at most once a second, and only for requests sent at the new rate: the requests in
 * flight when FLOW first refused are refused for the same reason. The rate never falls below one request a second.
 * Requests are paced evenly (a request may go {@value #BURST_MS} ms early, never more), so that FLOW sees no burst.
 * <p>
 * Not thread-safe: {@link FlowBudget} calls it under its lock. Times are {@link System#nanoTime()} values.
 */
final class FlowRate {

    private static final Logger LOG = LoggerFactory.getLogger(FlowRate.class);

    static final long GROWTH_STEP_MS = 100;
    static final long BURST_MS = 20;
    private static final long SECOND = 1_000_000_000L;
    private static final long GROWTH_STEP = GROWTH_STEP_MS * 1_000_000L;
    private static final long BURST = BURST_MS * 1_000_000L;
    private static final long SHORTEST_MEASURE = 200_000_000L;
    private static final double FLOOR = 1.0;
    private static final double TIGHTEN = 0.95;
    private static final double TIGHTEST = 0.7;
    private static final int ISOLATED = 3;
    private static final long MEMORY = 3 * SECOND;
    private static final long REFINE_AFTER = 500_000_000L;
    private static final long NEVER = Long.MIN_VALUE;

    /** How FLOW answered a request, as far as its capacity is concerned. */
    enum Answer {
        /** Any answer but 429 and 503: FLOW served the request (a 404 is an answer too). */
        WELL,
        /** 429: FLOW wants fewer requests. */
        TOO_MANY,
        /** 503: FLOW is overloaded, or cannot serve this one resource yet. */
        UNAVAILABLE,
        /** No answer, or another 5xx: says nothing about the rate. */
        UNKNOWN
    }

    private final double ceiling;
    private final double margin;
    private final long probeInterval;

    private volatile double rate;
    private volatile double learned = Double.NaN;
    private double settle = Double.NaN;
    private double learnedBefore = Double.NaN;
    private double settleBefore = Double.NaN;
    private Change lastChange = Change.NONE;
    private long due;
    private long pausedUntil;
    private long lastCut;
    private long lastHalved = Long.MIN_VALUE / 4;
    private boolean cutOnce;
    private long lastGrowth;
    private boolean heldSinceGrowth;
    private boolean answeredWellSinceGrowth;
    /** When the requests FLOW served were sent, in the order their answers came. */
    private final ArrayDeque<Long> servedSent = new ArrayDeque<>();
    /** When FLOW's refusals came. */
    private final ArrayDeque<Long> refusedAt = new ArrayDeque<>();
    private long measuredFrom;
    private long measuredTo;
    private long measuredSpan;
    private double rateAtCut;
    private long refineAt = NEVER;

    /**
     * @param ceiling       the most requests a second, whatever FLOW seems to allow ({@code flow.api.rate-limit})
     * @param initial       requests a second before anything is learned ({@code flow.api.rate-initial})
     * @param margin        how far under a learned limit the rate settles, 0 to 1 ({@code flow.api.rate-margin})
     * @param probeInterval how long a learned limit holds before the rate probes above it; zero: never
     */
    FlowRate(double ceiling, double initial, double margin, Duration probeInterval, long now) {
        if (!(ceiling > 0)) {
            throw new IllegalArgumentException("flow.api.rate-limit must be positive, was " + ceiling);
        }
        if (!(initial > 0)) {
            throw new IllegalArgumentException("flow.api.rate-initial must be positive, was " + initial);
        }
        if (!(margin > 0 && margin <= 1)) {
            throw new IllegalArgumentException("flow.api.rate-margin must be above 0 and at most 1, was " + margin);
        }
        this.ceiling = ceiling;
        this.margin = margin;
        this.probeInterval = probeInterval.toNanos();
        this.rate = Math.min(initial, ceiling);
        this.due = now;
        this.pausedUntil = Long.MIN_VALUE / 4;
        this.lastGrowth = now;
    }

    /** Requests a second allowed now. */
    double perSecond() {
        return rate;
    }

    /** The rate at which FLOW was last found to refuse, or NaN when nothing is learned (or it is being probed). */
    double learned() {
        return learned;
    }

    /** How long FLOW asked everyone to wait (Retry-After), from {@code now}; zero when it did not. */
    long pausedFor(long now) {
        return Math.max(0, pausedUntil - now);
    }

    /** How long a request must wait before it may go, without taking its turn; zero: it may go now. */
    long waitFor(long now) {
        refine(now);
        if (now < pausedUntil) {
            return pausedUntil - now;
        }
        long wait = Math.max(0, due - BURST - now);
        if (wait > 0) {
            heldSinceGrowth = true;
        }
        return wait;
    }

    /** A request goes now (after {@link #waitFor} said it may): the next one is due one interval later. */
    void take(long now) {
        due = Math.max(due, now) + (long) (SECOND / rate);
        grow(now);
    }

    /** What an answer changed. */
    enum Change {
        NONE,
        /** FLOW refused while serving most requests: its limit is learned, the rate settles under it. */
        LEARNED,
        /** FLOW refused most requests: the rate is halved. */
        HALVED
    }

    /** FLOW answered (or did not) a request sent at {@code sentAt}; {@code retryAfter} null when it set none. */
    Change answered(long sentAt, long now, Answer answer, Duration retryAfter) {
        refine(now);
        forgetOlderThan(now - MEMORY);
        Change change = Change.NONE;
        if (answer == Answer.WELL) {
            servedSent.addLast(sentAt);
            answeredWellSinceGrowth = true;
            grow(now);
        } else if (answer == Answer.TOO_MANY || answer == Answer.UNAVAILABLE) {
            refusedAt.addLast(now);
            boolean sentAtThisRate = !cutOnce || sentAt >= lastCut + SECOND;
            if (sentAtThisRate && !(answer == Answer.UNAVAILABLE && isolated(now))) {
                change = cut(sentAt, now);
            }
        }
        if (retryAfter != null && answer != Answer.WELL) {
            pausedUntil = Math.max(pausedUntil, now + retryAfter.toNanos());
        }
        if (change == Change.LEARNED) {
            // Requests FLOW served just before it refused may still be on their way back: count them once they are in.
            refineAt = Math.max(now + REFINE_AFTER, pausedUntil);
        }
        return change;
    }

    /**
     * A 503 among many good answers (fewer than {@value #ISOLATED} refusals in the last second, and under a tenth of the
     * answers) is about one resource FLOW cannot serve yet (a report still being compiled), not about the rate.
     */
    private boolean isolated(long now) {
        int refusedNow = countSince(refusedAt, now - SECOND);
        return refusedNow < ISOLATED || refusedNow * 10 < countSentBetween(servedSent, now - SECOND, now);
    }

    private Change cut(long sentAt, long now) {
        // What FLOW served of the requests sent in the second before the one it refused (or since the last pause
        // ended, if that was more recent), and of those sent until its refusal came back: requests overtake each other
        // on the way (a thread held up between its turn and its write), and those FLOW served before the refused one
        // were in its window too; those that came after it were refused for the same reason.
        measuredSpan = sentAt - Math.max(sentAt - SECOND, Math.min(pausedUntil, sentAt));
        measuredFrom = sentAt - measuredSpan;
        measuredTo = now;
        int served = countSentBetween(servedSent, measuredFrom, measuredTo);
        int refusedNow = countSince(refusedAt, now - SECOND);
        // Refusals among good answers in the seconds after FLOW refused most requests are the end of an outage (or of
        // a spent quota), not a limit: what FLOW serves then says nothing about what it allows.
        boolean mostlyServed = served > 0 && served >= refusedNow && now - lastHalved >= 2 * SECOND;
        refineAt = NEVER;
        if (mostlyServed) {
            learnedBefore = learned;
            settleBefore = settle;
            rateAtCut = rate;
            settle(served);
        } else {
            if (lastChange == Change.LEARNED) {
                // The refusal just learned from was the start of an outage, not FLOW's limit: forget it again.
                learned = learnedBefore;
                settle = settleBefore;
            }
            rate = bounded(rate / 2);
            lastHalved = now;
        }
        cutOnce = true;
        lastCut = now;
        lastGrowth = now;
        heldSinceGrowth = false;
        answeredWellSinceGrowth = false;
        lastChange = mostlyServed ? Change.LEARNED : Change.HALVED;
        return lastChange;
    }

    /** Where the rate settles, given that FLOW served {@code served} of the requests sent in the measured span. */
    private void settle(int served) {
        long span = measuredSpan;
        // Too soon after a pause to measure what FLOW let through: the rate was too high, that much is known.
        double seen = span >= SHORTEST_MEASURE ? served * (double) SECOND / span : rateAtCut;
        boolean settled = !Double.isNaN(settleBefore) && rateAtCut <= settleBefore * 1.01;
        if (settled && seen >= TIGHTEN * rateAtCut) {
            // FLOW refused the rate it had been serving: what it counts is less even than what is sent (requests
            // bunched up on the way, a window of its own). Its limit stays; the rate settles a step lower, though
            // not below TIGHTEST of the limit: refusals that go on there are about something else than the rate.
            learned = learnedBefore;
            settle = bounded(Math.max(TIGHTEN * rateAtCut, Math.min(rateAtCut, TIGHTEST * learnedBefore)));
        } else {
            learned = bounded(Math.min(rateAtCut, seen));
            settle = bounded(margin * learned);
        }
        rate = settle;
    }

    /** Once the answers of the requests sent before FLOW refused are in, the limit learned is measured again. */
    private void refine(long now) {
        if (refineAt == NEVER || now < refineAt) {
            return;
        }
        refineAt = NEVER;
        double before = settle;
        double learnedFirst = learned;
        settle(countSentBetween(servedSent, measuredFrom, measuredTo));
        // Only ever up: more answers in can only show that FLOW served more.
        if (settle < before) {
            settle = before;
            rate = before;
            learned = learnedFirst;
        } else if (settle > before) {
            LOG.info("FLOW's limit counted again with every answer in: {} requests/s (not {}): now {} requests/s",
                Math.round(learned), Math.round(learnedFirst), Math.round(rate));
        }
    }

    private void grow(long now) {
        if (!heldSinceGrowth || !answeredWellSinceGrowth || now - lastGrowth < GROWTH_STEP || now < pausedUntil) {
            return;
        }
        boolean probe = probeInterval > 0 && cutOnce && now - lastCut >= probeInterval;
        if (!Double.isNaN(settle) && probe) {
            learned = Double.NaN;
            settle = Double.NaN;
        }
        double next = Double.isNaN(settle) ? rate * 2 : Math.min(rate * 2, Math.max(rate, settle));
        rate = bounded(next);
        lastChange = Change.NONE;
        lastGrowth = now;
        heldSinceGrowth = false;
        answeredWellSinceGrowth = false;
    }

    private double bounded(double perSecond) {
        return Math.min(ceiling, Math.max(Math.min(FLOOR, ceiling), perSecond));
    }

    private void forgetOlderThan(long oldest) {
        // Roughly in order (answers come back in about the order requests went): what lingers is only counted by time.
        while (!servedSent.isEmpty() && servedSent.peekFirst() < oldest) {
            servedSent.removeFirst();
        }
        while (!refusedAt.isEmpty() && refusedAt.peekFirst() < oldest) {
            refusedAt.removeFirst();
        }
    }

    private static int countSince(ArrayDeque<Long> times, long from) {
        int count = 0;
        for (var it = times.descendingIterator(); it.hasNext() && it.next() >= from; ) {
            count++;
        }
        return count;
    }

    private static int countSentBetween(ArrayDeque<Long> sent, long from, long to) {
        int count = 0;
        for (long at : sent) {
            if (at >= from && at <= to) {
                count++;
            }
        }
        return count;
    }
}
