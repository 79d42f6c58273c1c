package com.flowbridge.command;

import org.apache.kafka.common.TopicPartition;

/**
 * Where a command came from: its record on a command topic. The webhook puts every command on the command topic
 * too, so every command has one. Two records with the same commandId are two sources of the same command; the
 * same record read again (a redelivery) is the same source.
 */
public record CommandSource(String topic, int partition, long offset) {

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    /** The source written as {@code topic/partition/offset}, or null when the text is not one. */
    public static CommandSource parse(String text) {
        int offsetAt = text.lastIndexOf('/');
        int partitionAt = offsetAt < 0 ? -1 : text.lastIndexOf('/', offsetAt - 1);
        if (partitionAt <= 0) {
            return null;
        }
        try {
            return new CommandSource(text.substring(0, partitionAt), Integer.parseInt(text.substring(partitionAt + 1, offsetAt)),
                Long.parseLong(text.substring(offsetAt + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code topic/partition/offset}, as carried in the {@code command-source} header of outcomes. */
    @Override
    public String toString() {
        return topic + "/" + partition + "/" + offset;
    }
}
