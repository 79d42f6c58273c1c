package com.flowbridge.capture;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.flowbridge.flow.FlowAnswerException;
import com.flowbridge.flow.FlowCallException;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.launch.AbandonedOnStop;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a poll route does when a cycle fails: says so in one line, and carries on at the next cycle.
 * If FLOW failed, nothing was published and nothing needs undoing. If publishing failed, some records may
 * have landed and some not, so what was published is read back from Kafka before the next cycle compares.
 */
public final class PollFailures {

    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.poll");

    private final List<EmittedState> states = new CopyOnWriteArrayList<>();
    private final StateStore facts;

    public PollFailures(StateStore facts) {
        this.facts = facts;
    }

    /** Makes {@code state} read back from Kafka after a cycle that failed while publishing. */
    public void watch(EmittedState state) {
        states.add(state);
    }

    public void cycleFailed(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String route = exchange.getFromRouteId();
        if (AbandonedOnStop.stopping(exchange.getContext())) {
            // Whatever ended the cycle: its poller transaction is not committed (PollerRole), the next start polls again.
            AbandonedOnStop.sayOnce(route);
            return;
        }
        Throwable flowFailure = flowFailure(failure);
        if (flowFailure != null) {
            LOG.warn("{}: cycle skipped, nothing published; next cycle retries. {}", route, flowFailure.getMessage());
            CycleFacts.failed(exchange, flowFailure.getMessage());
            return;
        }
        String reason = failure == null ? "unknown error" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        LOG.error("{}: cycle failed while publishing ({}); what reached Kafka is read back before the next cycle", route, reason);
        CycleFacts.failed(exchange, "publishing failed: " + reason);
        readBackBeforeNextCycle();
    }

    /** Forgets what is in memory so that the next cycle of every poll starts by reading Kafka back. */
    public void readBackBeforeNextCycle() {
        states.forEach(EmittedState::invalidate);
        facts.invalidate();
    }

    /** The FLOW failure behind {@code failure} (splits and sub-routes wrap it), or null if FLOW was not the cause. */
    private static Throwable flowFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FlowCallException || cause instanceof FlowAnswerException) {
                return cause;
            }
        }
        return null;
    }
}
