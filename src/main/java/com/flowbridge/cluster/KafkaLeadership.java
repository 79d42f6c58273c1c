package com.flowbridge.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership through Kafka's own group coordinator, as a Camel cluster service: every instance joins one consumer group
 * on a coordination topic of a single partition, and the member the coordinator assigns that partition leads. Nothing
 * else is needed than the Kafka cluster every deployment already has: no shared disk, no lease server, no consensus
 * written here (the pattern Schema Registry and Kafka Connect's workers use).
 * <ul>
 *   <li>A leader that dies is noticed by the coordinator after the group's session timeout; the partition then goes to a
 *       standby. A leader that stops cleanly leaves the group, and a standby takes over at once.</li>
 *   <li>A leader that freezes (a GC pause, a stopped VM) is thrown out of the group after the session timeout, like a
 *       dead one; when it wakes, its next poll tells it the partition is lost. What it writes meanwhile is harmless because
 *       every poller write is transactional and the new leader's producers fence the old ones ({@link PollerRole}):
 *       fencing, not this election, is what makes a zombie harmless.</li>
 *   <li>The cooperative sticky assignor keeps the partition where it is when members come and go, so an instance
 *       joining does not interrupt the leader.</li>
 * </ul>
 * Leadership events are delivered on a thread of their own, one at a time and in order, so that a listener that stops
 * or starts routes never holds up the consumer's heartbeats.
 */
public final class KafkaLeadership extends AbstractCamelClusterService<KafkaLeadership.View> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaLeadership.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Properties consumerSettings;

    /**
     * @param instance         this instance's name (the group member's client id, named in the logs)
     * @param topic            the coordination topic: one partition, never written to
     * @param consumerSettings the Kafka client settings (bootstrap servers, security) the group's consumer starts from
     * @param group            the consumer group whose members compete
     * @param sessionTimeout   how long the coordinator waits for a silent member before giving its partition to another
     */
    public KafkaLeadership(String instance, String topic, Properties consumerSettings, String group, Duration sessionTimeout) {
        super(instance);
        this.topic = topic;
        this.consumerSettings = new Properties();
        this.consumerSettings.putAll(consumerSettings);
        this.consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        this.consumerSettings.put(ConsumerConfig.CLIENT_ID_CONFIG, instance + "-leadership");
        this.consumerSettings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(sessionTimeout.toMillis()));
        this.consumerSettings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
            String.valueOf(Math.max(200, Math.min(3000, sessionTimeout.toMillis() / 5))));
        this.consumerSettings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        this.consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumerSettings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumerSettings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }

    @Override
    protected View createView(String namespace) {
        return new View(namespace);
    }

    /** One namespace's election: a consumer of the coordination topic, polled on a thread of its own. */
    public final class View extends AbstractCamelClusterView {

        private final Member local = new Member(getId(), true);
        private final AtomicBoolean rejoin = new AtomicBoolean();
        private volatile boolean leader;
        private volatile boolean announced;
        private volatile boolean running;
        private KafkaConsumer<byte[], byte[]> consumer;
        private Thread poller;
        private ExecutorService events;

        View(String namespace) {
            super(KafkaLeadership.this, namespace);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leader ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local);
        }

        /** Makes this instance leave the group and join again, so that the coordinator chooses the leader anew. */
        public void rejoin() {
            rejoin.set(true);
            wakeUp();
        }

        @Override
        protected void doStart() {
            events = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "leadership-events-" + getNamespace());
                thread.setDaemon(true);
                return thread;
            });
            consumer = new KafkaConsumer<>(consumerSettings);
            running = true;
            poller = new Thread(this::poll, "leadership-" + getNamespace());
            poller.setDaemon(true);
            poller.start();
        }

        @Override
        protected void doStop() throws InterruptedException {
            running = false;
            wakeUp();
            poller.join(10_000);
            events.shutdown();
            events.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        }

        void wakeUp() {
            KafkaConsumer<byte[], byte[]> current = consumer;
            if (current != null) {
                current.wakeup();
            }
        }

        private void poll() {
            subscribe();
            try {
                while (running) {
                    try {
                        if (rejoin.compareAndSet(true, false)) {
                            consumer.unsubscribe();
                            lost();
                            subscribe();
                        }
                        consumer.poll(POLL);
                    } catch (WakeupException woken) {
                        // stop() or rejoin(): the loop decides which
                    } catch (RuntimeException e) {
                        LOG.warn("{}: the leadership group could not be polled ({}); trying again", getNamespace(), e.toString());
                        pause();
                    }
                }
            } finally {
                // Leaving the group hands the partition, and the lead, to a standby at once.
                consumer.close(Duration.ofSeconds(5));
                lost();
            }
        }

        private void subscribe() {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        won();
                    } else if (!announced) {
                        // The first assignment, and not the lead: say so once, so a standby is seen to stand by.
                        announced = true;
                        events.execute(() -> fireLeadershipChangedEvent((CamelClusterMember) null));
                    }
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        lost();
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    lost();
                }
            });
        }

        private void won() {
            announced = true;
            if (!leader) {
                leader = true;
                events.execute(() -> fireLeadershipChangedEvent(local));
            }
        }

        private void lost() {
            if (leader) {
                leader = false;
                events.execute(() -> fireLeadershipChangedEvent((CamelClusterMember) null));
            }
        }

        private void pause() {
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }

        /** This instance, as a member of the election. */
        private final class Member implements CamelClusterMember {
            private final String id;
            private final boolean isLocal;

            Member(String id, boolean isLocal) {
                this.id = id;
                this.isLocal = isLocal;
            }

            @Override
            public boolean isLeader() {
                return leader;
            }

            @Override
            public boolean isLocal() {
                return isLocal;
            }

            @Override
            public String getId() {
                return id;
            }
        }
    }
}
