package com.flowbridge.cluster;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly one running instance polls FLOW: the poll routes carry {@code routePolicy: pollerLeadership}, which starts them
 * only on the instance that leads the {@value #NAMESPACE} namespace, and on another instance when the leader goes. Who
 * leads is decided, by default, by Kafka's own group coordinator ({@link KafkaLeadership}): any number of instances on any
 * number of hosts, nothing shared but the Kafka cluster. {@code flow.poller.lock = file} (instances sharing a disk) and
 * {@code cluster-service} (a Camel cluster service configured with {@code camel.cluster.*}, e.g. a Kubernetes lease) remain
 * selectable. Whatever decides, the {@link PollerRole} listens first and fences the previous poller's writes before any
 * poll route starts. Commands and webhooks run on every instance regardless.
 */
public final class PollerLeadership {

    public static final String NAMESPACE = "flow-poller";
    private static final Logger LOG = LoggerFactory.getLogger(PollerLeadership.class);

    private PollerLeadership() {
    }

    /** How the poller is chosen, from {@code flow.poller.*}. */
    public record Election(String lock, String instance, String topic, String group, Duration sessionTimeout,
                           Properties kafkaConsumer, String lockDir, Duration lockInterval) {
    }

    /** The route policy the poll routes refer to, with the election the settings ask for and the role listening to it first. */
    public static ClusteredRoutePolicy policy(CamelContext context, Election election, PollerRole role) throws Exception {
        ClusteredRoutePolicy policy;
        switch (election.lock()) {
            case "kafka" -> {
                KafkaLeadership kafka = new KafkaLeadership(election.instance(), election.topic(), election.kafkaConsumer(),
                    election.group(), election.sessionTimeout());
                context.addService(kafka, true, true);
                KafkaLeadership.View view = (KafkaLeadership.View) kafka.getView(NAMESPACE);
                role.follow(view, view::rejoin);
                policy = ClusteredRoutePolicy.forNamespace(kafka, NAMESPACE);
                LOG.info("{}: the active poller is chosen by the Kafka consumer group {} (coordination topic {}); a silent "
                    + "poller is replaced after {} s", NAMESPACE, election.group(), election.topic(), election.sessionTimeout().toSeconds());
            }
            case "file" -> {
                FileLockClusterService files = new FileLockClusterService();
                files.setId(election.instance());
                files.setRoot(election.lockDir());
                files.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
                files.setAcquireLockInterval(election.lockInterval().toMillis(), TimeUnit.MILLISECONDS);
                context.addService(files, true, true);
                role.follow(files.getView(NAMESPACE), () -> { });
                policy = ClusteredRoutePolicy.forNamespace(files, NAMESPACE);
                LOG.info("{}: the active poller is the instance holding the file lock in {}", NAMESPACE, election.lockDir());
            }
            case "cluster-service" -> {
                // The service is configured by camel.cluster.* and may only exist once the context starts.
                context.addStartupListener((started, alreadyStarted) -> {
                    CamelClusterService service = ClusterServiceHelper.mandatoryLookupService(started);
                    CamelClusterView view = service.getView(NAMESPACE);
                    role.follow(view, () -> { });
                });
                policy = ClusteredRoutePolicy.forNamespace(context, NAMESPACE);
                LOG.info("{}: the active poller is chosen by the Camel cluster service (camel.cluster.*)", NAMESPACE);
            }
            default -> throw new IllegalStateException("flow.poller.lock must be kafka, file or cluster-service, not '"
                + election.lock() + "'");
        }
        policy.setInitialDelay(Duration.ZERO);
        return policy;
    }
}
