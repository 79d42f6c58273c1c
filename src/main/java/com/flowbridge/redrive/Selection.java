package com.flowbridge.redrive;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Which dead letters a redrive sends again: those from the dead-letter topic's own command topic, whose command
 * {@code failed} (or was {@code rejected}, when asked for), within the time window and matching the reason asked for,
 * whose original bytes the dead letter holds. Each one that is not is given a reason, counted in the summary.
 */
final class Selection {

    static final String REJECTED = "rejected (--include-rejected sends them too)";
    static final String REASON_DIFFERS = "dlq-reason not matching --reason";
    static final String OUTSIDE_WINDOW = "outside --since/--until";
    static final String VALUE_OMITTED = "original too large to be in the dead letter (it is at its dlq-source-* coordinates)";
    static final String NOT_FROM_COMMAND_TOPIC = "not from the command topic";
    static final String NO_COMMAND_HEADERS = "without command-id and command-status headers (written before flow-bridge wrote them)";

    private final String commandTopic;
    private final Pattern reason;
    private final Instant since;
    private final Instant until;
    private final boolean includeRejected;

    /**
     * @param commandTopic    the command topic of the dead-letter topic read (the only one a dead letter is sent back to)
     * @param reason          matched anywhere in {@code dlq-reason}; null for any
     * @param since           written at or after; null for any time
     * @param until           written before; null for any time
     * @param includeRejected whether rejected commands (malformed, invalid) are sent again too
     */
    Selection(String commandTopic, Pattern reason, Instant since, Instant until, boolean includeRejected) {
        this.commandTopic = commandTopic;
        this.reason = reason;
        this.since = since;
        this.until = until;
        this.includeRejected = includeRejected;
    }

    /** Null when {@code letter} is to be sent again; otherwise why not (one of this class's constants). */
    String whyNot(DeadLetter letter) {
        Instant written = Instant.ofEpochMilli(letter.timestamp());
        if ((since != null && written.isBefore(since)) || (until != null && !written.isBefore(until))) {
            return OUTSIDE_WINDOW;
        }
        if (!commandTopic.equals(letter.sourceTopic())) {
            return NOT_FROM_COMMAND_TOPIC;
        }
        String status = letter.status();
        if (letter.commandId() == null || status == null) {
            return NO_COMMAND_HEADERS;
        }
        if (reason != null && (letter.reason() == null || !reason.matcher(letter.reason()).find())) {
            return REASON_DIFFERS;
        }
        if (status.equals("rejected") && !includeRejected) {
            return REJECTED;
        }
        if (!status.equals("failed") && !status.equals("rejected")) {
            return "command-status " + status;
        }
        if (letter.valueOmitted()) {
            return VALUE_OMITTED;
        }
        return null;
    }
}
