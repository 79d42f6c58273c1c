package com.flowbridge.cluster;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.flowbridge.CamelSettings;
import com.flowbridge.capture.PollFailures;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly one running instance polls FLOW: the poll routes carry {@code routePolicy: pollerLeadership}, which
 * starts them only on the instance that leads the {@value #NAMESPACE} namespace, and starts them on another
 * instance when the leader dies. The new leader reads back what was published before its first cycle, so it
 * neither repeats nor misses anything. Commands and webhooks run on every instance regardless.
 * <p>
 * The lock is a file lock in {@code flow.poller.lock-dir} (instances on one host, or sharing a volume) unless
 * {@code flow.poller.lock = cluster-service}, where a Camel cluster service configured with {@code camel.cluster.*}
 * (e.g. a Kubernetes lease) decides.
 */
public final class PollerLeadership {

    public static final String NAMESPACE = "flow-poller";
    private static final Logger LOG = LoggerFactory.getLogger(PollerLeadership.class);

    private PollerLeadership() {
    }

    /** The route policy the poll routes refer to, with the lock the settings ask for. */
    public static ClusteredRoutePolicy policy(CamelContext context, CamelSettings settings, PollFailures states) throws Exception {
        String lock = settings.required("flow.poller.lock");
        String instance = settings.optional("flow.instance-id").orElse(ManagementFactory.getRuntimeMXBean().getName());
        ClusteredRoutePolicy policy;
        if ("file".equals(lock)) {
            FileLockClusterService files = new FileLockClusterService();
            files.setId(instance);
            files.setRoot(settings.required("flow.poller.lock-dir"));
            Duration interval = settings.duration("flow.poller.lock-interval");
            files.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
            files.setAcquireLockInterval(interval.toMillis(), TimeUnit.MILLISECONDS);
            context.addService(files, true, true);
            listen(files, states);
            policy = ClusteredRoutePolicy.forNamespace(files, NAMESPACE);
        } else if ("cluster-service".equals(lock)) {
            policy = ClusteredRoutePolicy.forNamespace(context, NAMESPACE);
        } else {
            throw new IllegalStateException("flow.poller.lock must be file or cluster-service, not '" + lock + "'");
        }
        policy.setInitialDelay(Duration.ZERO);
        return policy;
    }

    private static void listen(CamelClusterService service, PollFailures states) throws Exception {
        LOG.info("{}: polling starts once this instance holds the poller lock (another instance may hold it: then this one stands by)",
            NAMESPACE);
        service.getView(NAMESPACE).addEventListener((CamelClusterEventListener.Leadership) (view, leader) -> {
            if (leader != null && leader.isLocal()) {
                states.readBackBeforeNextCycle();
                LOG.info("{}: this instance holds the poller lock and polls FLOW", NAMESPACE);
            } else {
                LOG.info("{}: this instance does not hold the poller lock; standing by", NAMESPACE);
            }
        });
    }
}
