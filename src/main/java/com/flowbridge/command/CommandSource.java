package com.flowbridge.command;

/**
 * Where a command came from: its record on a command topic. The webhook puts every command on the command topic
 * too, so every command has one. Two records with the same commandId are two sources of the same command; the
 * same record read again (a redelivery) is the same source.
 */
public record CommandSource(String topic, int partition, long offset) {

    /** {@code topic/partition/offset}, as carried in the {@code command-source} header of outcomes. */
    @Override
    public String toString() {
        return topic + "/" + partition + "/" + offset;
    }
}
