package com.flowbridge.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.flowbridge.kafka.KafkaClients;
import org.apache.camel.Service;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Readiness: can flow-bridge reach the Kafka cluster? Asks the cluster for its brokers, at most every few
 * seconds however often the health endpoint is called.
 */
public final class KafkaReachability extends AbstractHealthCheck implements Service {

    private static final Duration CACHE = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final KafkaClients clients;
    private volatile Admin admin;
    private volatile Instant checkedAt = Instant.EPOCH;
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
    }

    @Override
    public void start() {
        // The admin client is made on the first check.
    }

    @Override
    public synchronized void stop() {
        if (admin != null) {
            admin.close(TIMEOUT);
            admin = null;
        }
    }
}
