package com.flowbridge.kafka;

import org.apache.kafka.clients.producer.Producer;

/** Where a {@link KafkaTransactionScope} takes the transactional producer of each transaction from, and gives it back to. */
public interface TransactionalProducerSource {

    /** A producer for one transaction; throws when this instance may not write now (e.g. it is not the active poller). */
    Producer<Object, Object> acquire();

    /**
     * The transaction is over: committed or aborted ({@code failure} null), or broken off by {@code failure}, which may
     * have left the producer unusable (fenced by another instance, or in a state only closing leaves).
     */
    void release(Producer<Object, Object> producer, Exception failure);

    /**
     * Before each record of a transaction, and before it commits: throws when the transaction must not go on (e.g. the
     * poller's, once flow-bridge is stopping), and the transaction is aborted. By default every transaction may go on.
     */
    default void ensureMayWrite() {
    }
}
