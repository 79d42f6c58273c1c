package com.flowbridge.flow;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before another attempt at a FLOW call: what FLOW's {@code Retry-After} asks for,
 * otherwise exponential backoff with full jitter, so that many callers that failed together
 * do not come back together.
 */
public final class FlowRetryPolicy {

    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Duration maxRetryAfter;

    public FlowRetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration maxRetryAfter) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("flow.api.max-attempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.maxRetryAfter = maxRetryAfter;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether a call is tried again after the {@code Retry-After} FLOW asked for (null: it asked for none). */
    public boolean waitsOut(Duration retryAfter) {
        return retryAfter == null || retryAfter.compareTo(maxRetryAfter) <= 0;
    }

    /**
     * The wait before attempt number {@code attempt} (2 for the first retry): FLOW's {@code Retry-After} when it gave
     * one, never less (a longer one than {@code flow.api.retry-after-max} ends the call instead, see {@link #waitsOut}).
     */
    public Duration delayBeforeAttempt(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter;
        }
        long ceiling = Math.min(maxDelay.toMillis(), initialDelay.toMillis() << Math.min(20, Math.max(0, attempt - 2)));
        // Full jitter, but never less than half the ceiling: retries stay spread yet still back off.
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }
}
