package com.flowbridge.flow;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import com.flowbridge.launch.AbandonedOnStop;
import com.flowbridge.observe.Metrics;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every request to FLOW passes, shared by all routes ({@code direct:flow-api-attempt}): one line, commands
 * first, under two limits that are found while flow-bridge runs rather than configured.
 * <ul>
 *   <li><b>Requests a second</b>: {@link FlowRate}, learned from FLOW's refusals (429, 503) and its
 *       {@code Retry-After}, under the ceiling {@code flow.api.rate-limit}.</li>
 *   <li><b>Requests in flight</b>: Netflix concurrency-limits' {@link Gradient2Limit}, which lowers the number of
 *       requests in flight when FLOW's answers get slower than their long-term average by more than
 *       {@code flow.api.latency-tolerance}, and raises it while they do not, under {@code flow.api.concurrency-limit}.</li>
 * </ul>
 * Waiting requests go in {@link FlowPriority} order (commands, then polls, then reports), first come first served
 * within each: a registration never waits behind a registrants scan of thousands of sessions, only behind the
 * requests already on their way to FLOW. What the budget learns stays for as long as flow-bridge runs.
 */
public final class FlowBudget {

    static final String PERMIT_PROPERTY = "FlowBudgetPermit";
    /** The longest a waiting request goes without looking whether flow-bridge is stopping (polls are then abandoned). */
    private static final long STOP_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Logger LOG = LoggerFactory.getLogger(FlowBudget.class);

    private final FlowRate rate;
    private final Gradient2Limit concurrency;
    private final SimpleLimiter<Void> inFlight;
    private final Duration longestPause;
    private final Metrics metrics;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Waiter> line = new PriorityQueue<>();
    private final Map<FlowPriority, AtomicInteger> waiting = new EnumMap<>(FlowPriority.class);
    private final AtomicBoolean metered = new AtomicBoolean();
    private long arrivals;

    /**
     * @param longestPause the longest Retry-After pause a request waits out ({@code flow.api.retry-after-max}); a
     *                     request that would wait longer fails at once instead
     */
    public FlowBudget(Settings settings, Duration longestPause, Metrics metrics) {
        this(settings, longestPause, metrics, System::nanoTime);
    }

    FlowBudget(Settings settings, Duration longestPause, Metrics metrics, LongSupplier clock) {
        if (settings.concurrencyLimit() < 1) {
            throw new IllegalArgumentException("flow.api.concurrency-limit must be at least 1, was " + settings.concurrencyLimit());
        }
        this.clock = clock;
        this.rate = new FlowRate(settings.ceiling(), settings.initialRate(), settings.margin(), settings.probeInterval(),
            clock.getAsLong());
        int max = settings.concurrencyLimit();
        this.concurrency = Gradient2Limit.newBuilder()
            .initialLimit(Math.min(20, max))
            .minLimit(Math.min(2, max))
            .maxConcurrency(max)
            .rttTolerance(settings.latencyTolerance())
            .build();
        this.inFlight = SimpleLimiter.newBuilder().named("flow").limit(concurrency).build();
        this.longestPause = longestPause;
        this.metrics = metrics;
        for (FlowPriority priority : FlowPriority.values()) {
            waiting.put(priority, new AtomicInteger());
        }
    }

    /** The budget's settings, {@code flow.api.*}. */
    public record Settings(double ceiling, double initialRate, double margin, Duration probeInterval, int concurrencyLimit,
                           double latencyTolerance) {
    }

    /**
     * Before each attempt: waits for this request's turn (its priority, then arrival) and for both limits, and for
     * any {@code Retry-After} pause, then lets it go. Throws a {@link FlowRetryableException} (not retried) when FLOW
     * asked for a pause longer than {@code flow.api.retry-after-max}.
     */
    public void acquire(Exchange exchange) throws InterruptedException {
        if (metered.compareAndSet(false, true)) {
            metrics.flowBudget(this);
        }
        FlowRequest request = FlowRequests.request(exchange);
        long queuedAt = clock.getAsLong();
        Limiter.Listener listener;
        AtomicInteger waitingNow = waiting.get(request.priority());
        waitingNow.incrementAndGet();
        lock.lock();
        try {
            Waiter me = new Waiter(request.priority(), arrivals++, lock.newCondition());
            line.add(me);
            try {
                listener = awaitTurn(me, exchange, request);
            } finally {
                line.remove(me);
                Waiter next = line.peek();
                if (next != null) {
                    next.turn().signal();
                }
            }
        } finally {
            lock.unlock();
            waitingNow.decrementAndGet();
        }
        long sentAt = clock.getAsLong();
        metrics.rateLimitWait(request.priority().label(), Duration.ofNanos(sentAt - queuedAt));
        exchange.setProperty(PERMIT_PROPERTY, new Permit(listener, sentAt));
    }

    private Limiter.Listener awaitTurn(Waiter me, Exchange exchange, FlowRequest request) throws InterruptedException {
        while (true) {
            if (FlowRequests.abandonedOnStop(exchange, request)) {
                throw new AbandonedOnStop("FLOW call " + request.endpoint());
            }
            long now = clock.getAsLong();
            if (line.peek() != me) {
                me.turn().awaitNanos(STOP_CHECK_NANOS);
                continue;
            }
            long paused = rate.pausedFor(now);
            if (paused > longestPause.toNanos()) {
                exchange.setProperty(FlowRequests.GIVE_UP_PROPERTY, true);
                throw new FlowRetryableException(request.endpoint(), 429, "FLOW asked for a pause of "
                    + TimeUnit.NANOSECONDS.toSeconds(paused) + " s more (Retry-After), longer than flow.api.retry-after-max ("
                    + longestPause.toSeconds() + " s)", null, FlowRequests.attempts(exchange), null);
            }
            long wait = rate.waitFor(now);
            if (wait > 0) {
                me.turn().awaitNanos(Math.min(wait, STOP_CHECK_NANOS));
                continue;
            }
            var listener = inFlight.acquire(null);
            if (listener.isEmpty()) {
                // As many requests in flight as the concurrency limit allows: the next answer signals this turn.
                me.turn().awaitNanos(STOP_CHECK_NANOS);
                continue;
            }
            rate.take(now);
            return listener.get();
        }
    }

    /**
     * After each attempt, whatever happened (the route's doFinally): tells both limits how FLOW answered, from the
     * HTTP status and {@code Retry-After} camel-http left on the message (none when FLOW did not answer), and hands
     * the request's place in flight to the next in line.
     */
    public void release(Exchange exchange) {
        Permit permit = exchange.removeProperty(PERMIT_PROPERTY) instanceof Permit held ? held : null;
        if (permit == null) {
            return;
        }
        Message message = exchange.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Duration retryAfter = status == null ? null : RetryAfter.parse(message.getHeader("Retry-After", String.class));
        FlowRate.Answer answer = answer(status);
        switch (answer) {
            case WELL -> permit.listener().onSuccess();
            case TOO_MANY, UNAVAILABLE -> permit.listener().onDropped();
            case UNKNOWN -> permit.listener().onIgnore();
        }
        if (status != null && status == 429) {
            FlowRequest request = exchange.getProperty(FlowRequests.REQUEST_PROPERTY, FlowRequest.class);
            metrics.flowRefused(request == null ? "flow" : request.endpoint());
        }
        lock.lock();
        try {
            double before = rate.perSecond();
            FlowRate.Change change = rate.answered(permit.sentAt(), clock.getAsLong(), answer, retryAfter);
            logChange(change, status, before, retryAfter);
            Waiter next = line.peek();
            if (next != null) {
                next.turn().signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Requests a second FLOW is sent at most, now. */
    public double allowedRate() {
        return rate.perSecond();
    }

    /** Requests a second at which FLOW was last found to refuse; NaN before that, or while probing above it. */
    public double learnedRate() {
        return rate.learned();
    }

    /** Requests allowed in flight at once, now. */
    public int concurrencyLimit() {
        return concurrency.getLimit();
    }

    public int inFlight() {
        return inFlight.getInflight();
    }

    /** Requests waiting for their turn, by priority. */
    public int waiting(FlowPriority priority) {
        return waiting.get(priority).get();
    }

    static FlowRate.Answer answer(Integer status) {
        if (status == null) {
            return FlowRate.Answer.UNKNOWN;
        }
        if (status == 429) {
            return FlowRate.Answer.TOO_MANY;
        }
        if (status == 503) {
            return FlowRate.Answer.UNAVAILABLE;
        }
        return status >= 500 ? FlowRate.Answer.UNKNOWN : FlowRate.Answer.WELL;
    }

    private void logChange(FlowRate.Change change, Integer status, double before, Duration retryAfter) {
        String pause = retryAfter == null ? "" : ", Retry-After " + retryAfter.toMillis() / 1000.0 + " s";
        if (change == FlowRate.Change.LEARNED) {
            LOG.info("FLOW pushed back (HTTP {}{}) at {} requests/s, having let through {} a second: now {} requests/s",
                status, pause, rounded(before), rounded(rate.learned()), rounded(rate.perSecond()));
        } else if (change == FlowRate.Change.HALVED) {
            // At most once a second, and during an outage FLOW's reachability check already says so: not at INFO.
            LOG.debug("FLOW pushed back (HTTP {}{}) while refusing most requests: {} -> {} requests/s", status, pause,
                rounded(before), rounded(rate.perSecond()));
        }
    }

    private static String rounded(double perSecond) {
        return perSecond >= 10 ? String.valueOf(Math.round(perSecond)) : String.format(java.util.Locale.ROOT, "%.1f", perSecond);
    }

    private record Permit(Limiter.Listener listener, long sentAt) {
    }

    /** One request waiting for its turn: by priority, then by arrival. */
    private record Waiter(FlowPriority priority, long arrival, Condition turn) implements Comparable<Waiter> {
        @Override
        public int compareTo(Waiter other) {
            int byPriority = priority.compareTo(other.priority);
            return byPriority != 0 ? byPriority : Long.compare(arrival, other.arrival);
        }
    }
}
