package com.flowbridge.cluster;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.flowbridge.kafka.TransactionalProducerSource;
import com.flowbridge.kafka.TransactionalProducers;
import com.flowbridge.launch.AbandonedOnStop;
import org.apache.camel.Service;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active poller's role on this instance: whether it holds it, and the transactional producers every poller write goes
 * through (change events, lifecycle records, state facts, report rows and manifests).
 * <p>
 * Each time this instance takes the role, before any poll route starts, it opens the role's producers: the same
 * transactional ids on every instance, so their {@code initTransactions()} fences the previous holder. A previous poller
 * that is not dead but frozen, and wakes up still believing it polls, finds its open transaction aborted and every later
 * write refused ({@code ProducerFencedException}): nothing it writes after losing the role reaches a {@code read_committed}
 * consumer, not even the batch it was in the middle of. A poller that finds itself fenced stops writing for the rest of its
 * term, counts it, and asks the election to choose again; it never re-opens the producers on its own, which would fence
 * the new poller in turn.
 * <p>
 * Whatever the election (Kafka's group coordinator by default, a file lock, a Kubernetes lease), taking the role also makes
 * every poll route read back what was published before its next cycle, after the fencing: so the new poller compares FLOW
 * with everything the old one committed, and with nothing it did not.
 * <p>
 * Once flow-bridge is stopping, the role lends no producer and lets no poller transaction write or commit
 * ({@link AbandonedOnStop}): a cycle in flight is abandoned, its transaction aborted, and the next start does it again.
 */
public final class PollerRole extends AbstractHealthCheck
    implements CamelClusterEventListener.Leadership, TransactionalProducerSource, Service {

    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.poller");

    private final String instance;
    private final Supplier<TransactionalProducers> openProducers;
    private final Runnable readBack;
    private final PollerMetrics metrics;
    private volatile Runnable chooseAgain = () -> { };
    /** Guarded by this. */
    private boolean active;
    private long term;
    private boolean fenced;
    private boolean announced;
    private TransactionalProducers producers;
    /** The producers lent to transactions in progress, and the set each came from (an earlier term's, once closed). */
    private final Map<Producer<Object, Object>, TransactionalProducers> lentFrom = new IdentityHashMap<>();

    /**
     * @param openProducers opens the role's transactional producers (fencing their earlier holders)
     * @param readBack      makes every poll route read back what was published before its next cycle
     */
    public PollerRole(String instance, Supplier<TransactionalProducers> openProducers, Runnable readBack, PollerMetrics metrics) {
        super("flow-bridge", "flow-poller");
        this.instance = instance;
        this.openProducers = openProducers;
        this.readBack = readBack;
        this.metrics = metrics;
        metrics.role(false);
    }

    /** Listens to the election before anything else does: the fencing must be done before the poll routes start. */
    public void follow(CamelClusterView view, Runnable chooseAgain) {
        this.chooseAgain = chooseAgain;
        view.addEventListener(this);
    }

    public String instance() {
        return instance;
    }

    public synchronized boolean isActive() {
        return active;
    }

    @Override
    public void leadershipChanged(CamelClusterView view, CamelClusterMember leader) {
        boolean local = leader != null && leader.isLocal();
        synchronized (this) {
            if (!local && !active && !announced) {
                announced = true;
                LOG.info("{}: instance {} stands by (another instance is the active poller)", PollerLeadership.NAMESPACE, instance);
            }
            if (local == active) {
                return;
            }
            announced = true;
            active = local;
            metrics.role(local);
            metrics.changed();
            if (local) {
                term++;
                fenced = false;
                LOG.info("{}: instance {} is now the active poller (term {}); fencing earlier pollers' writes, then polling FLOW",
                    PollerLeadership.NAMESPACE, instance, term);
                try {
                    openIfNeeded();
                } catch (RuntimeException e) {
                    LOG.warn("{}: the poller's transactional producers could not be opened yet ({}); the first cycle tries again",
                        PollerLeadership.NAMESPACE, e.toString());
                }
                readBack.run();
            } else {
                LOG.info("{}: instance {} stands by (another instance is the active poller)", PollerLeadership.NAMESPACE, instance);
                closeProducers();
            }
        }
    }

    /**
     * Before a poll cycle reads back or writes anything: this instance holds the role, has not been fenced in this term,
     * its producers are open (fencing done), and every transaction a broken producer left open is settled (so that what
     * the cycle reads back includes it if it committed after all).
     *
     * @throws NotThePoller otherwise
     */
    public void ensureActive() {
        // Outside the lock: settling waits for Kafka, and the election must be able to tell this instance it lost the role.
        activeProducers().settle();
    }

    /** The producers of this term, opened if need be; throws unless this instance may write as the poller. */
    private synchronized TransactionalProducers activeProducers() {
        ensureMayWrite();
        if (!active) {
            throw new NotThePoller("instance " + instance + " is not the active poller");
        }
        if (fenced) {
            throw new NotThePoller("instance " + instance + " was fenced by another poller; waiting for the election");
        }
        openIfNeeded();
        return producers;
    }

    private void openIfNeeded() {
        if (producers == null) {
            producers = openProducers.get();
        }
    }

    /** Nothing more is written for the poller once flow-bridge is stopping: the transaction in flight is aborted. */
    @Override
    public void ensureMayWrite() {
        if (AbandonedOnStop.stopping(getCamelContext())) {
            throw new AbandonedOnStop("poller transaction");
        }
    }

    @Override
    public Producer<Object, Object> acquire() {
        TransactionalProducers current = activeProducers();
        Producer<Object, Object> producer = current.acquire();
        synchronized (this) {
            lentFrom.put(producer, current);
        }
        return producer;
    }

    /**
     * A transaction is over. One that failed because this instance had lost the role meanwhile (Kafka refused it as fenced,
     * or its producers were closed when the instance learned it no longer polls) counts as a write refused.
     */
    @Override
    public void release(Producer<Object, Object> producer, Exception failure) {
        TransactionalProducers from;
        boolean lostTheRole;
        synchronized (this) {
            from = lentFrom.remove(producer);
            lostTheRole = from != producers;
        }
        boolean fencedByKafka = failure != null && TransactionalProducers.isFencing(failure);
        if (failure != null && (fencedByKafka || lostTheRole)) {
            metrics.fenced();
        }
        if (fencedByKafka) {
            fenced();
        } else if (from != null) {
            from.release(producer, failure);
        }
    }

    private void fenced() {
        synchronized (this) {
            if (fenced || !active) {
                return;
            }
            fenced = true;
            closeProducers();
        }
        LOG.warn("{}: instance {} was fenced: another instance has taken the poller role and its producers refuse this "
            + "instance's writes; nothing more is written here, and the election chooses again", PollerLeadership.NAMESPACE, instance);
        chooseAgain.run();
    }

    private void closeProducers() {
        if (producers != null) {
            producers.close();
            producers = null;
        }
    }

    @Override
    public void start() {
        // The producers are opened when the role is taken.
    }

    /** Closes the role's producers when the instance stops. */
    @Override
    public synchronized void stop() {
        closeProducers();
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String role;
        synchronized (this) {
            role = active ? (fenced ? "fenced" : "active") : "standby";
            builder.detail("poller.role", role);
            builder.detail("poller.instance", instance);
            builder.detail("poller.term", term);
        }
        builder.message("instance " + instance + ": " + (role.equals("standby") ? "standby (another instance polls FLOW)"
            : role.equals("active") ? "active poller" : "fenced by another poller, waiting for the election")).up();
    }

    /** Thrown where only the active poller may go on. */
    public static final class NotThePoller extends IllegalStateException {
        public NotThePoller(String message) {
            super(message);
        }
    }
}
