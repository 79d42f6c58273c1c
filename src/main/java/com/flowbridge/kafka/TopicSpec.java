package com.flowbridge.kafka;

/**
 * A topic flow-bridge needs, and whether it is compacted when flow-bridge creates it.
 *
 * @param compacted true for topics read back as "the latest record per key" (change topics, internal state)
 */
public record TopicSpec(String name, boolean compacted) {

    public static TopicSpec compacted(String name) {
        return new TopicSpec(name, true);
    }

    /** A topic of events or commands, kept for the cluster's retention. */
    public static TopicSpec retained(String name) {
        return new TopicSpec(name, false);
    }
}
