package com.flowbridge.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.flowbridge.kafka.KafkaClients;
import org.apache.camel.Service;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Readiness: can flow-bridge reach the Kafka cluster? Asks the cluster for its brokers, at most every few
 * seconds however often the health endpoint is called. The same check is the gauge {@code flowbridge_kafka_up}
 * ({@link #up()}), which never makes a scrape wait for the cluster.
 */
public final class KafkaReachability extends AbstractHealthCheck implements Service {

    private static final Duration CACHE = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** The gauge shows a check at most this old: older, it is checked again in the background. */
    private static final Duration GAUGE_MAX_AGE = Duration.ofSeconds(15);

    private final KafkaClients clients;
    private final AtomicBoolean checkingInBackground = new AtomicBoolean();
    private volatile ExecutorService background;
    private volatile Admin admin;
    private volatile Instant checkedAt = Instant.EPOCH;
    private volatile boolean checked;
    private volatile String problem;
    private volatile int brokers;

    public KafkaReachability(KafkaClients clients) {
        super("flow-bridge", "kafka-cluster");
        this.clients = clients;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        refresh();
        if (problem == null) {
            builder.detail("kafka.brokers", brokers).up();
        } else {
            builder.message("Kafka cluster not reachable: " + problem).down();
        }
    }

    /**
     * {@code flowbridge_kafka_up}: 1 if the latest check reached the cluster, 0 if it did not, NaN before the first
     * check. Returns at once: a check older than {@link #GAUGE_MAX_AGE} is repeated in the background (one at a time),
     * so scrapes cost the cluster at most one metadata request per 15 s, and none while the health endpoint is being
     * called anyway.
     */
    public double up() {
        if (Instant.now().isAfter(checkedAt.plus(GAUGE_MAX_AGE))) {
            checkInBackground();
        }
        if (!checked) {
            return Double.NaN;
        }
        return problem == null ? 1 : 0;
    }

    private void checkInBackground() {
        ExecutorService executor = background;
        if (executor != null && checkingInBackground.compareAndSet(false, true)) {
            executor.execute(() -> {
                try {
                    refresh();
                } finally {
                    checkingInBackground.set(false);
                }
            });
        }
    }

    private synchronized void refresh() {
        if (Instant.now().isBefore(checkedAt.plus(CACHE))) {
            return;
        }
        try {
            if (admin == null) {
                admin = clients.admin();
            }
            brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                .nodes().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS).size();
            problem = null;
        } catch (Exception e) {
            problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        checkedAt = Instant.now();
        checked = true;
    }

    @Override
    public void start() {
        // The admin client is made on the first check; the first check for the gauge is made now, in the background.
        background = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "kafka-reachability");
            thread.setDaemon(true);
            return thread;
        });
        checkInBackground();
    }

    @Override
    public synchronized void stop() {
        if (background != null) {
            background.shutdownNow();
            background = null;
        }
        if (admin != null) {
            admin.close(TIMEOUT);
            admin = null;
        }
    }
}
