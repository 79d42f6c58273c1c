package com.flowbridge.redrive;

import java.nio.charset.StandardCharsets;

import com.flowbridge.command.CommandIds;
import com.flowbridge.command.CommandRecords;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The command record a dead letter becomes again: its original key and bytes, to the command topic and partition it came
 * from, with
 * a commandId of its own. That commandId is derived from the original commandId and the dead letter's coordinates
 * (a name-based UUID, like every derived commandId): the command runs again under it (the original has an outcome
 * already, so under its own commandId it would only be a duplicate), and redriving the same dead letter twice gives the
 * same commandId twice, so the second copy is a duplicate and nothing runs twice.
 */
final class RedrivenCommand {

    /** The commandId of the command the dead letter was. */
    static final String REDRIVE_OF = "redrive-of";
    /** The dead letter it was sent again from, {@code topic/partition/offset}. */
    static final String REDRIVE_SOURCE = "redrive-source";

    private RedrivenCommand() {
    }

    /** The commandId of {@code letter}'s redriven copy. */
    static String commandId(DeadLetter letter) {
        return CommandIds.derive("redrive", (letter.commandId() + "\n" + letter.coordinates()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * To the partition the command was read from: it keeps its place among its key's commands whatever partitioner
     * the CRM's producer used (librdkafka's, kcat's, hashes keys differently from the Java client's).
     */
    static ProducerRecord<byte[], byte[]> of(DeadLetter letter) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(letter.sourceTopic(), letter.sourcePartition(), letter.key(),
            letter.value());
        header(record, CommandRecords.COMMAND_ID, commandId(letter));
        header(record, REDRIVE_OF, letter.commandId());
        header(record, REDRIVE_SOURCE, letter.coordinates());
        return record;
    }

    private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
