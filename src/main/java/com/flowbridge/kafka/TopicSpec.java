package com.flowbridge.kafka;

import java.util.Map;

/** A topic flow-bridge needs, with the topic configuration it is created with when absent. */
public record TopicSpec(String name, Map<String, String> config) {

    /** A topic read back as "the latest record per key" (change topics, internal state): compacted. */
    public static TopicSpec compacted(String name, long minCompactionLagMs) {
        return new TopicSpec(name, Map.of(
            "cleanup.policy", "compact",
            "min.compaction.lag.ms", String.valueOf(minCompactionLagMs)));
    }

    /** A topic of events or commands, kept for the cluster's retention. */
    public static TopicSpec retained(String name) {
        return new TopicSpec(name, Map.of());
    }
}
