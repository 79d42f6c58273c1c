package com.flowbridge.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import com.flowbridge.kafka.KafkaTransactionScope;
import com.flowbridge.kafka.TransactionalProducers;
import com.flowbridge.observe.Metrics;
import com.flowbridge.testing.TestKafka;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fencing itself, against a real broker and with nothing left to timing: a poller in the middle of a transaction
 * loses the role to another instance, whose producers take the same transactional ids; the old poller's transaction
 * cannot be committed, nothing of it reaches a read_committed consumer, and the old poller writes nothing more until the
 * election gives it the role again.
 */
class PollerFencingIT {

    private final String topic = "fencing-" + UUID.randomUUID();
    private final String ids = "fencing-writer-" + UUID.randomUUID();
    private final CamelContext context = new DefaultCamelContext();
    private final Metrics metrics = new Metrics(context);

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void a_poller_whose_role_is_taken_mid_transaction_is_fenced_and_its_transaction_never_seen() throws Exception {
        AtomicBoolean askedToChooseAgain = new AtomicBoolean();
        PollerMetrics oldMetrics = new PollerMetrics(metrics);
        PollerRole old = role("old", oldMetrics);
        PollerRole next = role("next", new PollerMetrics(metrics));
        old.follow(new KafkaLeadership("old", topic, new Properties(), "g", Duration.ofSeconds(10)).getView("n"),
            () -> askedToChooseAgain.set(true));
        old.leadershipChanged(null, local());
        KafkaTransactionScope oldWrites = new KafkaTransactionScope("oldWrites", old);

        Processor steps = exchange -> {
            standIn(oldWrites).send(new ProducerRecord<>(topic, "k", "written by the old poller"));
            // The old poller is frozen here; another instance takes the role and opens the same transactional ids.
            next.leadershipChanged(null, local());
        };
        Exchange exchange = new DefaultExchange(context);
        oldWrites.wrap(null, steps).process(exchange);
        assertThat(TransactionalProducers.isFencing(exchange.getException())).as("the commit was refused as fenced: %s",
            exchange.getException()).isTrue();

        assertThat(records("read_committed")).as("what a read_committed consumer sees").isEmpty();
        assertThat(records("read_uncommitted")).as("what a read_uncommitted consumer sees").hasSize(1);
        assertThat(askedToChooseAgain).as("the old poller asks the election to choose again").isTrue();
        assertThatThrownBy(old::ensureActive).as("no more writes from the old poller in its term")
            .isInstanceOf(PollerRole.NotThePoller.class).hasMessageContaining("fenced");
        assertThat(metrics.registry().find("flowbridge.poller.fenced.writes").counter().count()).isEqualTo(1.0);

        KafkaTransactionScope nextWrites = new KafkaTransactionScope("nextWrites", next);
        Exchange later = new DefaultExchange(context);
        nextWrites.wrap(null, writing -> standIn(nextWrites).send(new ProducerRecord<>(topic, "k", "written by the new poller")))
            .process(later);
        assertThat(later.getException()).isNull();
        assertThat(records("read_committed")).extracting(ConsumerRecord::value).as("the new poller's writes")
            .containsExactly("written by the new poller");
    }

    @Test
    void a_pipelined_write_refused_as_fenced_fails_the_wait_for_acknowledgements_and_its_transaction_is_never_seen()
        throws Exception {
        PollerRole old = role("old", new PollerMetrics(metrics));
        PollerRole next = role("next", new PollerMetrics(metrics));
        old.follow(new KafkaLeadership("old", topic, new Properties(), "g", Duration.ofSeconds(10)).getView("n"), () -> { });
        old.leadershipChanged(null, local());
        KafkaTransactionScope oldWrites = new KafkaTransactionScope("oldWrites", old);
        AtomicReference<Exception> refused = new AtomicReference<>();

        Processor steps = exchange -> {
            Producer<Object, Object> rows = pipelined(oldWrites);
            rows.send(new ProducerRecord<>(topic, "k", "row 1, acknowledged"));
            oldWrites.awaitAcknowledged();
            // Another instance takes the role; the old poller goes on streaming rows, handed over without waiting.
            next.leadershipChanged(null, local());
            try {
                rows.send(new ProducerRecord<>(topic, "k", "row 2, after the fencing"));
                oldWrites.awaitAcknowledged();
            } catch (RuntimeException e) {
                refused.set(e);
                throw e;
            }
        };
        Exchange exchange = new DefaultExchange(context);
        oldWrites.wrap(null, steps).process(exchange);

        assertThat(refused.get()).as("the wait for every row's acknowledgement (or the next send) fails").isNotNull();
        assertThat(TransactionalProducers.isFencing(refused.get())).as("refused as fenced: %s", refused.get()).isTrue();
        assertThat(exchange.getException()).as("the transaction failed").isNotNull();
        assertThat(records("read_committed")).as("what a read_committed consumer sees").isEmpty();
        assertThat(records("read_uncommitted")).extracting(ConsumerRecord::value).as("what a read_uncommitted consumer sees")
            .containsExactly("row 1, acknowledged");
        assertThatThrownBy(oldWrites::awaitAcknowledged).as("outside a transaction").isInstanceOf(IllegalStateException.class);
    }

    /**
     * A transaction whose commit Kafka never answered (the broker went away) is left open on the broker, and a
     * read_committed reader stops short of it, and of every record committed after it, until it is settled. A poller
     * that read back what it had published at that point would miss those records and publish them again; so before a
     * cycle reads back, the role settles it (the broken producer's id is initialised afresh, which aborts or completes it).
     */
    @Test
    void a_transaction_a_kafka_outage_left_open_is_settled_before_the_next_cycle_reads_back() throws Exception {
        Properties impatient = new Properties();
        impatient.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
        PollerRole poller = role("poller", new PollerMetrics(metrics), 2, impatient);
        poller.leadershipChanged(null, local());
        KafkaTransactionScope writes = new KafkaTransactionScope("writes", poller);
        Exchange cutOff = new DefaultExchange(context);
        try {
            writes.wrap(null, exchange -> {
                standIn(writes).send(new ProducerRecord<>(topic, "k", "cut off by the outage")).get();
                TestKafka.stopBroker();
            }).process(cutOff);
        } finally {
            TestKafka.startBroker();
        }
        assertThat(cutOff.getException()).as("the commit, while Kafka was away").isNotNull();
        assertThat(endOffset("read_committed")).as("a read_committed reader's end, before settling: short of the open transaction")
            .isLessThan(endOffset("read_uncommitted"));

        poller.ensureActive();

        assertThat(endOffset("read_committed")).as("a read_committed reader's end once the next cycle's check has settled it")
            .isEqualTo(endOffset("read_uncommitted"));
        assertThat(records("read_committed")).as("the cut-off transaction, aborted").isEmpty();
    }

    private PollerRole role(String instance, PollerMetrics pollerMetrics) {
        return role(instance, pollerMetrics, 1, new Properties());
    }

    private PollerRole role(String instance, PollerMetrics pollerMetrics, int producers, Properties settings) {
        Properties producer = new Properties();
        producer.putAll(settings);
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        return new PollerRole(instance, () -> TransactionalProducers.open(ids, producers, producer, Duration.ofMinutes(1),
            metrics::bindProducer), () -> { }, pollerMetrics);
    }

    private long endOffset(String isolation) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerSettings(isolation))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    @SuppressWarnings("unchecked")
    private static Producer<Object, Object> pipelined(KafkaTransactionScope scope) {
        return scope.pipelined().getProducer(new Properties());
    }

    @SuppressWarnings("unchecked")
    private static Producer<Object, Object> standIn(KafkaTransactionScope scope) {
        return scope.getProducer(new Properties());
    }

    private static CamelClusterMember local() {
        return new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return true;
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return "local";
            }
        };
    }

    private static Properties consumerSettings(String isolation) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return properties;
    }

    private List<ConsumerRecord<String, String>> records(String isolation) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerSettings(isolation))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
