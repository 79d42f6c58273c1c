package com.flowbridge.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * A fixed set of transactional Kafka producers, {@code <prefix>-0} to {@code <prefix>-<size-1>}, each carrying one
 * transaction at a time. Opening them calls {@code initTransactions()} for every id, which is what fences whoever held those
 * ids before: a zombie's open transaction is aborted and its later writes are refused. The ids belong to a role (the
 * poller, one command flow of one instance), not to a process.
 * <p>
 * A producer whose transaction could not be committed or aborted (Kafka unreachable, fenced, or any state Kafka says only
 * closing leaves) is closed, and its id is initialised afresh before the next transaction or read-back ({@link #settle()}),
 * which also settles the transaction it left open. So an outage costs the transactions it breaks, never the producers.
 */
public final class TransactionalProducers implements TransactionalProducerSource, AutoCloseable {

    private static final Duration CLOSE = Duration.ofSeconds(5);

    private final Properties settings;
    private final Duration timeout;
    private final Function<Producer<Object, Object>, AutoCloseable> metrics;
    private final BlockingQueue<Slot> idle = new LinkedBlockingQueue<>();
    private final List<Slot> slots = new ArrayList<>();
    /** The slot of each producer lent out. */
    private final Map<Producer<Object, Object>, Slot> lent = new IdentityHashMap<>();
    private boolean closed;

    /** One transactional id, and its producer while it has one. */
    private static final class Slot {
        private final String transactionalId;
        private Producer<Object, Object> producer;
        private AutoCloseable metrics;

        Slot(String transactionalId) {
            this.transactionalId = transactionalId;
        }
    }

    private TransactionalProducers(Properties settings, Duration timeout, Function<Producer<Object, Object>, AutoCloseable> metrics) {
        this.settings = settings;
        this.timeout = timeout;
        this.metrics = metrics;
    }

    /**
     * Creates the producers and initialises their transactions, fencing every earlier holder of these ids.
     *
     * @param settings producer settings (bootstrap servers, security, batching); ids, serializers and idempotence are set here
     * @param timeout  the longest a transaction may stay open before the broker aborts it
     * @param metrics  binds a producer's metrics where they are exported; closed with the producer
     */
    public static TransactionalProducers open(String prefix, int size, Properties settings, Duration timeout,
                                              Function<Producer<Object, Object>, AutoCloseable> metrics) {
        TransactionalProducers producers = new TransactionalProducers(settings, timeout, metrics);
        try {
            for (int i = 0; i < size; i++) {
                Slot slot = new Slot(prefix + "-" + i);
                producers.slots.add(slot);
                producers.initialise(slot);
                producers.idle.add(slot);
            }
        } catch (RuntimeException e) {
            producers.close();
            throw e;
        }
        return producers;
    }

    /** A producer with no transaction of anyone else's, waiting for one to be free. */
    @Override
    public Producer<Object, Object> acquire() {
        Slot slot;
        try {
            slot = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a transactional Kafka producer", e);
        }
        synchronized (this) {
            try {
                if (closed) {
                    throw new IllegalStateException("These transactional producers are closed");
                }
                settle();
                lent.put(slot.producer, slot);
                return slot.producer;
            } catch (RuntimeException e) {
                idle.add(slot);
                throw e;
            }
        }
    }

    /**
     * Initialises afresh every id whose producer broke (see {@link #release}): its {@code initTransactions()} returns only
     * once the transaction that producer left open is settled, committed if its commit had reached Kafka, aborted if not.
     * Until then a {@code read_committed} reader stops short of that transaction's records, so whoever reads back what was
     * written (the poller, before it compares) must settle first, or it would miss records that commit later and write
     * them again. Called before each transaction is lent, and by whoever reads back; a no-op when nothing broke.
     */
    public synchronized void settle() {
        if (closed) {
            return;
        }
        for (Slot slot : slots) {
            if (slot.producer == null) {
                initialise(slot);
            }
        }
    }

    /** Gives the producer back; one that is broken is closed, and its id initialised again when next needed. */
    @Override
    public void release(Producer<Object, Object> producer, Exception brokenBy) {
        Slot slot;
        synchronized (this) {
            slot = lent.remove(producer);
            if (slot == null || closed) {
                return;
            }
            if (brokenBy != null) {
                closeProducer(slot);
            }
        }
        idle.add(slot);
    }

    private void initialise(Slot slot) {
        Properties properties = new Properties();
        properties.putAll(settings);
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, slot.transactionalId);
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(timeout.toMillis()));
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, slot.transactionalId);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, TextOrBytesSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, TextOrBytesSerializer.class.getName());
        KafkaProducer<Object, Object> producer = new KafkaProducer<>(properties);
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        slot.producer = producer;
        slot.metrics = metrics.apply(producer);
    }

    private static void closeProducer(Slot slot) {
        if (slot.producer == null) {
            return;
        }
        try {
            slot.metrics.close();
        } catch (Exception ignored) {
            // the meters go with the producer either way
        }
        slot.producer.close(CLOSE);
        slot.producer = null;
    }

    /** Whether another producer with the same transactional id has fenced this one. */
    public static boolean isFencing(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Closes every producer, also those lent out: a transaction still in progress on one fails. All at once: one by one,
     * ten producers took 3 s of a stop on a busy machine.
     */
    @Override
    public synchronized void close() {
        closed = true;
        List<Thread> closing = new ArrayList<>();
        for (Slot slot : slots) {
            Thread thread = new Thread(() -> closeProducer(slot), "close-" + slot.transactionalId);
            thread.start();
            closing.add(thread);
        }
        for (Thread thread : closing) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        lent.clear();
        idle.clear();
    }
}
