package com.flowbridge.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics flow-bridge reads and writes when they do not exist yet, before any route starts:
 * consumers do not see a topic created behind their back until their next metadata refresh, and the
 * change topics must be compacted for flow-bridge to rebuild its memory from them.
 */
public final class KafkaTopics {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    private final KafkaClients clients;
    private final boolean enabled;
    private final int partitions;
    private final short replicationFactor;
    private final Duration minCompactionLag;

    /**
     * @param enabled          false when topics are managed outside flow-bridge ({@code kafka.topic.create})
     * @param minCompactionLag how long records of a compacted topic stay before compaction may drop them
     */
    public KafkaTopics(KafkaClients clients, boolean enabled, int partitions, short replicationFactor, Duration minCompactionLag) {
        this.clients = clients;
        this.enabled = enabled;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.minCompactionLag = minCompactionLag;
    }

    public void createMissing(Collection<TopicSpec> topics) {
        if (!enabled) {
            return;
        }
        try (Admin admin = clients.admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream()
                .filter(topic -> !existing.contains(topic.name()))
                .map(topic -> new NewTopic(topic.name(), Optional.of(topic.partitions() > 0 ? topic.partitions() : partitions),
                    Optional.of(replicationFactor)).configs(config(topic)))
                .toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var result : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                    LOG.info("Created topic {} (replication factor {})", result.getKey(), replicationFactor);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create the Kafka topics flow-bridge needs: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating Kafka topics", e);
        }
    }

    /** How many partitions the topic has. */
    public int partitions(String topic) {
        return describe(topic, admin -> admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
            .get(topic).partitions().size());
    }

    /** The largest record the topic takes ({@code max.message.bytes}). */
    public int maxMessageBytes(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return describe(topic, admin -> {
            Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            return Integer.parseInt(config.get("max.message.bytes").value());
        });
    }

    /** What the cluster says of a topic, asked again for a while when it does not know yet a topic just created. */
    private <T> T describe(String topic, Question<T> question) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Admin admin = clients.admin()) {
            while (true) {
                try {
                    return question.ask(admin);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                        throw new IllegalStateException("Could not describe the Kafka topic " + topic + ": " + e.getMessage(), e);
                    }
                    Thread.sleep(200);
                }
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Could not describe the Kafka topic " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing " + topic, e);
        }
    }

    private interface Question<T> {
        T ask(Admin admin) throws ExecutionException, InterruptedException, TimeoutException;
    }

    private Map<String, String> config(TopicSpec topic) {
        if (!topic.compacted()) {
            return Map.of();
        }
        return Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", String.valueOf(minCompactionLag.toMillis()));
    }
}
