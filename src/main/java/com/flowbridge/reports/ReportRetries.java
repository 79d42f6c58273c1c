package com.flowbridge.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When to ask FLOW again for something it could not serve yet (a report answering 404 or 5xx, a survey list):
 * exponential backoff per thing, in memory. Forgetting it on a restart costs one early retry, nothing more:
 * nothing is marked done until it is on Kafka.
 */
final class ReportRetries {

    /** The state of one thing being retried. */
    record Retry(int failures, Instant notBefore) {
    }

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();

    ReportRetries(Duration initialDelay, Duration maxDelay) {
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    boolean waiting(String what, Instant now) {
        Retry retry = retries.get(what);
        return retry != null && now.isBefore(retry.notBefore());
    }

    /** Records one more failure; returns when to try again and how many failures in a row there were. */
    Retry failed(String what, Instant now) {
        return retries.compute(what, (key, previous) -> {
            int failures = previous == null ? 1 : previous.failures() + 1;
            return new Retry(failures, now.plus(delay(failures)));
        });
    }

    /** Forgets the failures; returns how many there had been. */
    int succeeded(String what) {
        Retry retry = retries.remove(what);
        return retry == null ? 0 : retry.failures();
    }

    private Duration delay(int failures) {
        Duration delay = initialDelay;
        for (int i = 1; i < failures && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
