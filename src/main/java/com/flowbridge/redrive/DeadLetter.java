package com.flowbridge.redrive;

import java.nio.charset.StandardCharsets;

import com.flowbridge.command.CommandRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One record of a dead-letter topic as the command flows write it (README, "Dead letters"): the command record's
 * key and original bytes, and headers saying why, where from, its commandId and its outcome's status.
 */
record DeadLetter(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, Headers headers) {

    static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
        return new DeadLetter(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
            record.value(), record.headers());
    }

    /** Where it is: {@code topic/partition/offset}. */
    String coordinates() {
        return topic + "/" + partition + "/" + offset;
    }

    String commandId() {
        return header(CommandRecords.COMMAND_ID);
    }

    /** The command's outcome status: {@code failed} or {@code rejected}. */
    String status() {
        return header(CommandRecords.COMMAND_STATUS);
    }

    String reason() {
        return header(CommandRecords.DLQ_REASON);
    }

    /** The command topic it was read from. */
    String sourceTopic() {
        return header(CommandRecords.DLQ_SOURCE_TOPIC);
    }

    /** The partition of the command topic it was read from; null when the header is missing or not a number. */
    Integer sourcePartition() {
        try {
            return Integer.valueOf(header(CommandRecords.DLQ_SOURCE_PARTITION));
        } catch (NumberFormatException missing) {
            return null;
        }
    }

    /** Whether its value was left out, the original being too large to be written again. */
    boolean valueOmitted() {
        return header(CommandRecords.DLQ_VALUE_OMITTED) != null;
    }

    /** The last header of that name, as UTF-8 text; null when there is none. */
    String header(String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
