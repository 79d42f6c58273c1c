package com.flowbridge.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaClientFactory;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.spi.Policy;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;

/**
 * One Kafka transaction around some steps of a route: the records those steps write through this scope's {@code kafka:}
 * endpoints (and, for a consumer's route, the offsets of what it read) are committed together when the steps end well,
 * or aborted when any of them fails, so that a consumer reading with {@code isolation.level=read_committed} sees all of
 * them or none. A route says so with the policy EIP, and names the scope as its endpoints' client factory:
 * <pre>
 * - policy:
 *     ref: pollerTransaction                           # begins the transaction; commits or aborts it when the steps end
 *     steps:
 *       - to:
 *           uri: "kafka:{{kafka.topic.events}}"
 *           parameters:
 *             kafkaClientFactory: "#pollerTransaction"  # this endpoint writes inside that transaction
 *             synchronous: true
 * </pre>
 * The endpoint's producer is a stand-in that hands every record to the transactional producer of the transaction in
 * progress on the calling thread; hence the endpoints are synchronous and the steps run on one thread. A record written
 * through such an endpoint outside its transaction is refused, loudly, rather than written without one.
 * <p>
 * Such an endpoint waits for Kafka to acknowledge what it sent before the route goes on. An endpoint whose client factory
 * is the scope's {@link #pipelined()} view does not: it hands its records to the transaction's producer and goes on at
 * once, so that many batches are in flight together (the producer's {@code buffer.memory} bounds how much). A step that
 * must only follow records Kafka has acknowledged calls {@link #awaitAcknowledged()} first, which waits for every record
 * the transaction has sent and throws if Kafka refused any; a refusal also fails the pipelined endpoint's next send, and
 * the transaction's commit.
 * <pre>
 * - split:                                             # the rows, many batches in flight
 *     ...
 *       - to: {uri: "kafka:...", parameters: {kafkaClientFactory: "#pollerTransactionPipelined", synchronous: true}}
 * - bean: {ref: pollerTransaction, method: awaitAcknowledged}   # every row acknowledged
 * - to: {uri: "kafka:...", parameters: {kafkaClientFactory: "#pollerTransaction", synchronous: true}}  # then this
 * </pre>
 * <p>
 * The steps fail, and the transaction is aborted, when they end with an exception, mark the exchange rollback-only, or
 * had an exception handled by an error handler on the way (a handled failure still leaves the writes incomplete); a
 * failure caught by a doTry within the steps is the steps' own business. The producer source may also refuse to go on
 * ({@link TransactionalProducerSource#ensureMayWrite()}, before each record and before the commit), which aborts too.
 */
public final class KafkaTransactionScope implements Policy, KafkaClientFactory {

    private static final ThreadLocal<Transaction> IN_PROGRESS = new ThreadLocal<>();
    /** A pipelined send's answer to camel-kafka: handed to the transaction (no metadata: it is not acknowledged yet). */
    private static final Future<RecordMetadata> HANDED_OVER = CompletableFuture.completedFuture(null);

    private final String name;
    private final TransactionalProducerSource producers;
    private final KafkaClientFactory pipelined = new Pipelined();

    /**
     * @param name      the scope's bean name, for messages
     * @param producers where each transaction's producer comes from
     */
    public KafkaTransactionScope(String name, TransactionalProducerSource producers) {
        this.name = name;
        this.producers = producers;
    }

    /** The transaction in progress on this thread, for steps that add to it (e.g. a consumer's offsets). */
    public static Transaction current() {
        Transaction transaction = IN_PROGRESS.get();
        if (transaction == null) {
            throw new IllegalStateException("No Kafka transaction is in progress here: this step must run inside a "
                + "transaction scope's policy, on the route's own thread");
        }
        return transaction;
    }

    /**
     * The client factory of endpoints that hand their records to the transaction in progress without waiting for Kafka to
     * acknowledge them (see the class comment); {@link #awaitAcknowledged()} waits for them.
     */
    public KafkaClientFactory pipelined() {
        return pipelined;
    }

    /**
     * Waits until Kafka has acknowledged every record the transaction in progress on this thread has sent, and throws
     * the first refusal if it refused any (the transaction then aborts). A route step: call it before writing what must
     * only follow acknowledged records.
     */
    public void awaitAcknowledged() {
        Transaction transaction = IN_PROGRESS.get();
        if (transaction == null || !transaction.scope.equals(name)) {
            throw new IllegalStateException("awaitAcknowledged of the Kafka transaction scope " + name + " was called outside "
                + "its transaction: it must be a step inside the policy " + name);
        }
        transaction.producer.flush();
        transaction.acknowledgements.throwIfRefused();
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to prepare
    }

    @Override
    public Processor wrap(Route route, Processor steps) {
        return exchange -> inTransaction(exchange, steps);
    }

    private void inTransaction(Exchange exchange, Processor steps) throws Exception {
        if (IN_PROGRESS.get() != null) {
            throw new IllegalStateException("Kafka transaction scopes do not nest (" + name + " inside "
                + IN_PROGRESS.get().scope + ")");
        }
        Producer<Object, Object> producer = producers.acquire();
        // Set when the transaction could not be ended (committed or aborted): the producer is not to be trusted again.
        Exception brokenBy = null;
        try {
            producer.beginTransaction();
            Boolean handledBefore = exchange.getExchangeExtension().getErrorHandlerHandled();
            IN_PROGRESS.set(new Transaction(name, producer));
            try {
                steps.process(exchange);
            } catch (Exception failed) {
                exchange.setException(failed);
            } finally {
                IN_PROGRESS.remove();
            }
            if (!failed(exchange, handledBefore)) {
                try {
                    producers.ensureMayWrite();
                } catch (RuntimeException refused) {
                    exchange.setException(refused);
                }
            }
            if (failed(exchange, handledBefore)) {
                brokenBy = abort(producer, exchange.getException());
            } else {
                try {
                    producer.commitTransaction();
                } catch (RuntimeException notCommitted) {
                    brokenBy = notCommitted;
                    exchange.setException(notCommitted);
                    abort(producer, notCommitted);
                }
            }
        } catch (RuntimeException beginFailed) {
            brokenBy = beginFailed;
            throw beginFailed;
        } finally {
            producers.release(producer, brokenBy);
        }
    }

    /**
     * Whether the steps failed: an exception, rollback-only, or an error handler that handled a failure on the way (the
     * writes are then incomplete, though the exchange looks fine). A failure a doTry inside the steps caught is theirs to
     * decide about.
     */
    private static boolean failed(Exchange exchange, Boolean handledBefore) {
        Boolean handled = exchange.getExchangeExtension().getErrorHandlerHandled();
        return exchange.getException() != null || exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()
            || (Boolean.TRUE.equals(handled) && !handled.equals(handledBefore));
    }

    /** Aborts; returns why the producer is broken if even that failed (null when it is fine). */
    private static Exception abort(Producer<Object, Object> producer, Exception cause) {
        try {
            producer.abortTransaction();
            return null;
        } catch (RuntimeException alsoFailed) {
            if (cause != null && cause != alsoFailed) {
                cause.addSuppressed(alsoFailed);
            }
            return alsoFailed;
        }
    }

    // ---- the endpoints' side

    @Override
    public Producer getProducer(Properties kafkaProps) {
        if (kafkaProps.getProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null) {
            throw new IllegalArgumentException("An endpoint of the transaction scope " + name + " must not set transacted or "
                + "transactionalId: the scope's policy owns the transaction");
        }
        return new StandIn(false);
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        throw new UnsupportedOperationException("The transaction scope " + name + " is a client factory for producers only");
    }

    @Override
    public String getBrokers(KafkaConfiguration configuration) {
        return configuration.getBrokers();
    }

    /** One transaction in progress: its producer, and what steps may add to it besides records. */
    public static final class Transaction {
        private final String scope;
        private final Producer<Object, Object> producer;
        private final Acknowledgements acknowledgements = new Acknowledgements();

        private Transaction(String scope, Producer<Object, Object> producer) {
            this.scope = scope;
            this.producer = producer;
        }

        /** Commits the consumer's offsets with the transaction's records (fenced by the consumer group's generation). */
        public void sendOffsets(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, group);
            }
        }
    }

    /**
     * What Kafka answered to the pipelined sends of one transaction: the first refusal, if any. Called back on the
     * producer's I/O thread, once per record, so it does no more than remember.
     */
    private static final class Acknowledgements implements Callback {
        private final AtomicReference<Exception> refused = new AtomicReference<>();

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                refused.compareAndSet(null, exception);
            }
        }

        void throwIfRefused() {
            Exception exception = refused.get();
            if (exception != null) {
                // Wrapped, so the stack says where the route noticed; the cause says what Kafka refused (fencing included).
                throw new KafkaException("Kafka refused a record of this transaction: " + exception, exception);
            }
        }
    }

    /** The pipelined view's endpoints get a stand-in that does not wait. */
    private final class Pipelined implements KafkaClientFactory {
        @Override
        public Producer getProducer(Properties kafkaProps) {
            KafkaTransactionScope.this.getProducer(kafkaProps);
            return new StandIn(true);
        }

        @Override
        public Consumer getConsumer(Properties kafkaProps) {
            return KafkaTransactionScope.this.getConsumer(kafkaProps);
        }

        @Override
        public String getBrokers(KafkaConfiguration configuration) {
            return configuration.getBrokers();
        }
    }

    /**
     * The producer camel-kafka's endpoint holds: every record goes to the transaction in progress on this thread. A
     * pipelined one answers each send with a future that is already done (the record is the transaction's now), so that
     * camel-kafka goes on at once; Kafka's answer goes to the transaction's {@link Acknowledgements}.
     */
    private final class StandIn implements Producer<Object, Object> {

        private final boolean pipelined;

        StandIn(boolean pipelined) {
            this.pipelined = pipelined;
        }

        private Transaction transaction() {
            Transaction transaction = IN_PROGRESS.get();
            if (transaction == null || !transaction.scope.equals(name)) {
                throw new IllegalStateException("A record for the Kafka transaction scope " + name + " was written outside "
                    + "its transaction: the kafka endpoint must be synchronous and inside the policy " + name);
            }
            return transaction;
        }

        private Producer<Object, Object> transactional() {
            return transaction().producer;
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<Object, Object> record) {
            if (!pipelined) {
                Producer<Object, Object> producer = transactional();
                producers.ensureMayWrite();
                return producer.send(record);
            }
            Transaction transaction = transaction();
            producers.ensureMayWrite();
            // Once Kafka has refused one record of the transaction, the rest are not worth sending: it will abort.
            transaction.acknowledgements.throwIfRefused();
            transaction.producer.send(record, transaction.acknowledgements);
            return HANDED_OVER;
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<Object, Object> record, Callback callback) {
            if (!pipelined) {
                Producer<Object, Object> producer = transactional();
                producers.ensureMayWrite();
                return producer.send(record, callback);
            }
            Transaction transaction = transaction();
            producers.ensureMayWrite();
            transaction.acknowledgements.throwIfRefused();
            return transaction.producer.send(record, (metadata, exception) -> {
                transaction.acknowledgements.onCompletion(metadata, exception);
                callback.onCompletion(metadata, exception);
            });
        }

        @Override
        public void flush() {
            transactional().flush();
        }

        @Override
        public List<PartitionInfo> partitionsFor(String topic) {
            return transactional().partitionsFor(topic);
        }

        @Override
        public Map<MetricName, ? extends Metric> metrics() {
            return Map.of();
        }

        @Override
        public Uuid clientInstanceId(Duration timeout) {
            throw new UnsupportedOperationException("A stand-in for the transaction scope " + name + " has no client instance");
        }

        @Override
        public void close() {
            // The producers belong to the scope's source, not to the endpoint.
        }

        @Override
        public void close(Duration timeout) {
            // As above.
        }

        @Override
        public void initTransactions() {
            throw ownedByThePolicy();
        }

        @Override
        public void beginTransaction() {
            throw ownedByThePolicy();
        }

        @Override
        @Deprecated
        public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String consumerGroupId) {
            throw ownedByThePolicy();
        }

        @Override
        public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
            throw ownedByThePolicy();
        }

        @Override
        public void commitTransaction() {
            throw ownedByThePolicy();
        }

        @Override
        public void abortTransaction() {
            throw ownedByThePolicy();
        }

        private UnsupportedOperationException ownedByThePolicy() {
            return new UnsupportedOperationException("The transactions of the scope " + name + " belong to its policy");
        }
    }
}
