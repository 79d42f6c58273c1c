package com.flowbridge.kafka;

/**
 * A topic flow-bridge needs, whether it is compacted when flow-bridge creates it, and how many partitions it gets
 * (0: {@code kafka.topic.partitions}).
 *
 * @param compacted true for topics read back as "the latest record per key" (change topics, internal state)
 */
public record TopicSpec(String name, boolean compacted, int partitions) {

    public static TopicSpec compacted(String name) {
        return new TopicSpec(name, true, 0);
    }

    /** A topic of events or commands, kept for the cluster's retention. */
    public static TopicSpec retained(String name) {
        return new TopicSpec(name, false, 0);
    }

    /** A topic of one partition, e.g. one whose partition is what a consumer group hands to a single member. */
    public static TopicSpec singlePartition(String name) {
        return new TopicSpec(name, false, 1);
    }
}
