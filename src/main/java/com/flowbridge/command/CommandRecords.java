package com.flowbridge.command;

import java.time.Instant;

import com.flowbridge.kafka.RecordMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;

/**
 * The records a command flow writes besides its ledger markers: each command record's outcome, and its dead letter (the
 * original bytes, with why and where from in headers). They are messages for the routes' {@code kafka:} endpoints, which
 * write them in the batch's transaction; header values are text.
 */
public final class CommandRecords {

    /** Outcome header: the commandId. */
    public static final String COMMAND_ID = CommandIds.HEADER;
    /** Outcome and dead-letter header: the outcome's status. */
    public static final String COMMAND_STATUS = "command-status";
    /** Outcome header: the command record it answers, {@code topic/partition/offset}. */
    public static final String COMMAND_SOURCE = "command-source";
    /** Dead-letter headers: why, where from, and when. */
    public static final String DLQ_REASON = "dlq-reason";
    public static final String DLQ_SOURCE_TOPIC = "dlq-source-topic";
    public static final String DLQ_SOURCE_PARTITION = "dlq-source-partition";
    public static final String DLQ_SOURCE_OFFSET = "dlq-source-offset";
    public static final String DLQ_TIME = "dlq-time";
    /** Dead-letter headers of a record whose value was too large to be written again: why it is left out, and its size. */
    public static final String DLQ_VALUE_OMITTED = "dlq-value-omitted";
    public static final String DLQ_ORIGINAL_BYTES = "dlq-original-bytes";

    private final CamelContext context;
    private final int deadLetterLimit;

    /**
     * @param deadLetterLimit the largest original value a dead letter carries: what the dead-letter topic and the producer
     *                        accept, less room for the headers. A larger one is left out (the headers say so and point
     *                        at the original, still on the command topic), so a record too big to copy holds nothing up.
     */
    public CommandRecords(CamelContext context, int deadLetterLimit) {
        this.context = context;
        this.deadLetterLimit = deadLetterLimit;
    }

    /** The outcome of a command record, a CloudEvent like every record of a product topic ({@link CommandEvents}). */
    Message outcome(CommandRun run, String key, byte[] outcome, String status, String topic, CommandEvents events) {
        Message record = RecordMessage.of(context, key, outcome);
        record.setHeader(COMMAND_ID, run.commandId());
        record.setHeader(COMMAND_STATUS, status);
        record.setHeader(COMMAND_SOURCE, run.source().toString());
        events.outcome(run, status, topic).forEach(record::setHeader);
        return record;
    }

    /** The command record as it was read (key and value untouched), with why it is a dead letter. */
    Message deadLetter(CommandRun run, String status, String topic, CommandEvents events) {
        byte[] value = run.value();
        boolean omitted = value != null && value.length > deadLetterLimit;
        Message record = RecordMessage.of(context, run.key(), omitted ? new byte[0] : value);
        record.setHeader(DLQ_REASON, run.deadLetterReason());
        record.setHeader(DLQ_SOURCE_TOPIC, run.source().topic());
        record.setHeader(DLQ_SOURCE_PARTITION, String.valueOf(run.source().partition()));
        record.setHeader(DLQ_SOURCE_OFFSET, String.valueOf(run.source().offset()));
        record.setHeader(DLQ_TIME, Instant.now().toString());
        record.setHeader(COMMAND_ID, run.commandId());
        record.setHeader(COMMAND_STATUS, status);
        if (omitted) {
            record.setHeader(DLQ_VALUE_OMITTED, "too large for " + topic + " (" + value.length + " bytes, at most "
                + deadLetterLimit + "): the original is at " + run.source());
            record.setHeader(DLQ_ORIGINAL_BYTES, String.valueOf(value.length));
        }
        events.deadLetter(run, topic).forEach(record::setHeader);
        return record;
    }
}
