package com.flowbridge.observe;

import java.time.Instant;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: can flow-bridge reach FLOW? Judged from the calls flow-bridge makes anyway (no extra requests
 * against FLOW's rate limit): DOWN while the latest answer was a connection failure or a 5xx, UP once FLOW
 * answers again. A 4xx or a 429 is an answer: FLOW is there.
 */
public final class FlowReachability extends AbstractHealthCheck {

    private volatile Instant lastAnswer;
    private volatile Instant lastFailure;
    private volatile String lastFailureReason;

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
        } else {
            lastAnswer = Instant.now();
        }
    }

    public void failed(String reason) {
        lastFailure = Instant.now();
        lastFailureReason = reason;
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
        if (failure != null && (answer == null || failure.isAfter(answer))) {
            builder.message("FLOW did not answer its latest request: " + lastFailureReason).down();
        } else {
            builder.up();
        }
    }
}
