package com.flowbridge.launch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work given up because flow-bridge is stopping (SIGTERM, Ctrl-C): a poll cycle's or a report's FLOW call that is not
 * made, a poller transaction that is not begun or not committed. A cycle in flight then ends within moments instead of
 * finishing thousands of calls, and what it had written is aborted with its transaction, so a {@code read_committed}
 * consumer sees none of it and the next start does the cycle again. Commands are never abandoned: their FLOW calls go
 * on while the command routes finish their batch (or, past {@code camel.main.shutdown-timeout}, the batch is left
 * uncommitted and read again).
 */
public final class AbandonedOnStop extends IllegalStateException {

    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.poll");
    /** The routes whose abandoned cycle has been said: once each (a process stops once), however many parts of it end. */
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    public AbandonedOnStop(String what) {
        super(what + " abandoned: flow-bridge is stopping");
    }

    /** No stack trace: thousands of calls of a cycle in flight may be refused at once, and where is always the same. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** Whether Camel has begun to stop (its status turns to Stopping before the first route is shut down). */
    public static boolean stopping(CamelContext context) {
        return context != null && (context.isStopping() || context.isStopped());
    }

    /** Says, once per route, that its cycle in flight was abandoned. */
    public static void sayOnce(String route) {
        if (SAID.add(String.valueOf(route))) {
            LOG.info("{}: cycle abandoned, its transaction in flight aborted: flow-bridge is stopping (the next start polls again)", route);
        }
    }

    /** The abandonment behind {@code failure} (splits and sub-routes wrap it), or null. */
    public static AbandonedOnStop in(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AbandonedOnStop abandoned) {
                return abandoned;
            }
        }
        return null;
    }
}
