package com.flowbridge.testing;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The lines one logger writes while a test runs, as an operator would read them ({@code LEVEL message}), so
 * tests can check what flow-bridge says: a cycle's summary, a warning logged once.
 */
public final class LogLines implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private final AbstractAppender appender;

    public LogLines(String loggerName) {
        logger = ((LoggerContext) LogManager.getContext(false)).getLogger(loggerName);
        appender = new AbstractAppender("test-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        logger.addAppender(appender);
    }

    /** Every line so far, oldest first. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines so far that contain every one of {@code parts}. */
    public List<String> containing(String... parts) {
        return lines.stream().filter(line -> {
            for (String part : parts) {
                if (!line.contains(part)) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    /** Waits until a line contains every one of {@code parts}, and returns the lines that do. */
    public List<String> await(Duration timeout, String... parts) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (containing(parts).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for a log line with " + List.of(parts)
                    + "; lines so far:\n  " + String.join("\n  ", lines));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted", e);
            }
        }
        return containing(parts);
    }

    @Override
    public void close() {
        logger.removeAppender(appender);
        appender.stop();
    }
}
