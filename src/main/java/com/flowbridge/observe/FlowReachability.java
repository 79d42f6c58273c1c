package com.flowbridge.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness: can flow-bridge reach FLOW? Judged from the calls flow-bridge makes anyway (no extra requests
 * against FLOW's rate limit): DOWN while the latest answer was a connection failure or a 5xx, UP once FLOW
 * answers again. A 4xx or a 429 is an answer: FLOW is there.
 * <p>
 * It also tells the log when FLOW stops answering and when it answers again, one line each: during an outage every
 * FLOW request is retried, and a line per retry would bury everything else (the retries are counted in
 * {@code flowbridge_flow_retries_total}).
 */
public final class FlowReachability extends AbstractHealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.flow");

    private volatile Instant lastAnswer;
    private volatile Instant lastFailure;
    private volatile String lastFailureReason;
    /** Guarded by this: whether the latest request failed, since when, and how many have failed since. */
    private boolean failing;
    private Instant failingSince;
    private long failuresSince;

    public FlowReachability() {
        super("flow-bridge", "flow-api");
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    public void answered(int status) {
        if (status >= 500) {
            failed("HTTP " + status);
            return;
        }
        Instant now = Instant.now();
        lastAnswer = now;
        synchronized (this) {
            if (failing) {
                failing = false;
                LOG.info("FLOW answers again after {} s of failed requests ({} failed meanwhile)",
                    Duration.between(failingSince, now).toSeconds(), failuresSince);
            }
        }
    }

    public void failed(String reason) {
        Instant now = Instant.now();
        lastFailure = now;
        lastFailureReason = reason;
        synchronized (this) {
            if (!failing) {
                failing = true;
                failingSince = now;
                failuresSince = 0;
                LOG.warn("FLOW did not answer a request ({}): requests are retried with backoff "
                    + "(flowbridge_flow_retries_total); said once until FLOW answers again", reason);
            }
            failuresSince++;
        }
    }

    /**
     * {@code flowbridge_flow_up}: 1 while FLOW answers (its latest answer, to any request, was not a 5xx), 0 while
     * its latest request got no answer or a 5xx, NaN before the first request. The same judgement as the readiness
     * check, from the same calls.
     */
    public double up() {
        Instant answer = lastAnswer;
        Instant failure = lastFailure;
        if (answer == null && failure == null) {
            return Double.NaN;
        }
        return failedLast(answer, failure) ? 0 : 1;
    }

    private static boolean failedLast(Instant answer, Instant failure) {
        return failure != null && (answer == null || failure.isAfter(answer));
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Instant answer = lastAnswer;
        Instant failure = lastFailure;
        if (answer != null) {
            builder.detail("flow.last.answer", answer.toString());
        }
        if (failure != null) {
            builder.detail("flow.last.failure", failure.toString());
            builder.detail("flow.last.failure.reason", lastFailureReason);
        }
        if (failedLast(answer, failure)) {
            builder.message("FLOW did not answer its latest request: " + lastFailureReason).down();
        } else {
            builder.up();
        }
    }
}
