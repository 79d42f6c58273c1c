package com.flowbridge.redrive;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * One redrive, wherever it is asked for (the {@code redrive} verb, a {@code redrive} signal): reads a dead-letter topic
 * from {@code since} to its end, sends each selected dead letter again to its command topic (see {@link RedrivenCommand}),
 * at most {@code limit}, and counts what it did. A dry run sends nothing.
 *
 * @param from         the dead-letter topic read
 * @param commandTopic its command topic, the only one a dead letter is sent back to
 * @param limit        at most this many are sent (the oldest first in each partition); null for all
 */
public record Redrive(String from, String commandTopic, Pattern reason, Instant since, Instant until, Integer limit,
                      boolean includeRejected, boolean dryRun) {

    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    /** What a redrive tells whoever watches it, as it goes. */
    public interface Watcher {
        Watcher NONE = new Watcher() {
        };

        /** Before the first dead letter: how many records lie between the start and the end. */
        default void reading(long total) {
        }

        /** In a dry run, a dead letter that would be sent. */
        default void wouldRedrive(DeadLetter letter) {
        }

        default void progress(long read, long selected) {
        }
    }

    /** Runs it with these Kafka client settings; fails when Kafka could not be read or written. */
    public RedriveSummary run(Properties client, Watcher watcher) {
        long started = System.nanoTime();
        Selection selection = new Selection(commandTopic, reason, since, until, includeRejected);
        RedriveSummary summary = new RedriveSummary(from, commandTopic, dryRun);
        try (DeadLetterReader reader = DeadLetterReader.open(client, from, since, KAFKA_TIMEOUT);
             RedrivePublisher publisher = dryRun ? null : new RedrivePublisher(client)) {
            watcher.reading(reader.total());
            reading:
            for (List<DeadLetter> letters = reader.next(); !letters.isEmpty(); letters = reader.next()) {
                for (DeadLetter letter : letters) {
                    if (limit != null && summary.selectedCount() >= limit) {
                        summary.limitReached(limit);
                        break reading;
                    }
                    summary.read();
                    String whyNot = selection.whyNot(letter);
                    if (whyNot != null) {
                        summary.left(whyNot);
                    } else {
                        if (dryRun) {
                            watcher.wouldRedrive(letter);
                        } else {
                            publisher.send(letter);
                        }
                        summary.selected();
                    }
                    watcher.progress(summary.readCount(), summary.selectedCount());
                }
            }
            summary.finished(publisher == null ? 0 : publisher.finish(), Duration.ofNanos(System.nanoTime() - started).toMillis());
            return summary;
        }
    }
}
