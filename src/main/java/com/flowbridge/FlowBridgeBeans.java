package com.flowbridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.capture.CanonicalJson;
import com.flowbridge.capture.ChangeDetector;
import com.flowbridge.capture.ChangeRecords;
import com.flowbridge.capture.PollFailures;
import com.flowbridge.cluster.PollerLeadership;
import com.flowbridge.cluster.PollerMetrics;
import com.flowbridge.cluster.PollerRole;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.flow.FlowApiSecret;
import com.flowbridge.flow.FlowBudget;
import com.flowbridge.flow.FlowHeaderFilter;
import com.flowbridge.flow.FlowHttpClient;
import com.flowbridge.flow.FlowRequests;
import com.flowbridge.flow.FlowRetryPolicy;
import com.flowbridge.kafka.KafkaClients;
import com.flowbridge.kafka.KafkaTopics;
import com.flowbridge.kafka.KafkaTransactionScope;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.kafka.TopicReader;
import com.flowbridge.kafka.TopicSpec;
import com.flowbridge.kafka.TransactionalProducers;
import com.flowbridge.launch.AbandonedCycles;
import com.flowbridge.launch.StartupCheck;
import com.flowbridge.observe.FlowReachability;
import com.flowbridge.observe.KafkaReachability;
import com.flowbridge.observe.MeteredKafkaClients;
import com.flowbridge.observe.MetersAtStart;
import com.flowbridge.observe.Metrics;
import com.flowbridge.webhook.ConnectionGuard;
import com.flowbridge.webhook.HttpServerLimits;
import com.flowbridge.webhook.InFlightLimit;
import com.flowbridge.webhook.WebhookAuth;
import com.flowbridge.webhook.WebhookGate;
import com.flowbridge.webhook.WebhookHttpEngine;
import io.vertx.core.Vertx;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.kafka.KafkaClientFactory;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.timer.TimerConsumer;
import org.apache.camel.component.timer.TimerEndpoint;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans every flow shares: the door to FLOW (HTTP client with the api-secret, header border, retry policy, the
 * shared budget), the Kafka clients and topic creation, flow-bridge's own state topic, the pieces of change capture,
 * the poller election and the webhook's HTTP server.
 *
 * <p>Like every configuration class (see {@link FlowBridge#CONFIGURATIONS}), a bean is a {@code @BindToRegistry}
 * method whose parameters are its settings ({@code @PropertyInject}) and the beans it needs (by type, or
 * {@code @BeanInject} by name where several share a type). They are lazy: Camel makes a bean the first time it is
 * looked up, after every configuration class has declared its beans, so no class depends on another having run.
 * {@link #configure} does what must happen at start-up (topics, health checks, services), before any route is made.
 */
@Configuration
public final class FlowBridgeBeans implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.webhook");
    private static final double NO_CEILING = 1_000_000;

    @Override
    public void configure(CamelContext context) throws Exception {
        String unsafe = StartupCheck.unsafeBaseUrl(setting(context, "flow.base.url"),
            Boolean.parseBoolean(setting(context, "flow.api.allow-insecure-http")));
        if (unsafe != null) {
            throw new IllegalStateException(unsafe);
        }
        KafkaTopics topics = bean(context, "kafkaTopics", KafkaTopics.class);
        topics.createMissing(List.of(TopicSpec.compacted(bean(context, "stateStore", StateStore.class).topic()),
            TopicSpec.singlePartition(setting(context, "kafka.topic.poller"))));

        // Observability: metrics at /observe/metrics, readiness at /observe/health.
        Metrics metrics = bean(context, "metrics", Metrics.class);
        FlowReachability flowReachability = bean(context, "flowReachability", FlowReachability.class);
        KafkaReachability kafkaReachability = bean(context, "kafkaReachability", KafkaReachability.class);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        health.register(flowReachability);
        health.register(kafkaReachability);
        context.addService(kafkaReachability, true, true);
        // The meters ops/prometheus/alerts.yaml and ops/grafana/flow-bridge.json need from the first scrape (statuses as
        // README "Outcomes" lists them).
        context.addStartupListener(new MetersAtStart(metrics, flowReachability, kafkaReachability,
            List.of(setting(context, "kafka.topic.registration-dlq"), setting(context, "kafka.topic.event-dlq")),
            Map.of("registration", List.of("registered", "rejected", "failed", "duplicate"),
                "event", List.of("created", "rejected", "failed", "duplicate"))));

        // A cycle abandoned at a stop reaches its timer past the error handlers: said once there, not as a warning.
        context.getCamelContextExtension().registerEndpointCallback((uri, endpoint) -> {
            if (endpoint instanceof TimerEndpoint timer && timer.getExceptionHandler() == null) {
                timer.setExceptionHandler(new AbandonedCycles(context, TimerConsumer.class));
            }
            return endpoint;
        });

        // One active poller on any number of instances: its role first, then the election it follows.
        PollerMetrics pollerMetrics = bean(context, "pollerMetrics", PollerMetrics.class);
        context.addStartupListener((started, alreadyStarted) -> pollerMetrics.register());
        PollerRole role = bean(context, "pollerRole", PollerRole.class);
        health.register(role);
        context.addService(role, true, true);
        bean(context, "pollerLeadership", ClusteredRoutePolicy.class);

        // Webhook: say which credentials it accepts, and reread the -file forms.
        WebhookAuth auth = bean(context, "webhookAuth", WebhookAuth.class);
        if (auth.acceptsAny()) {
            LOG.info("Webhook credentials: {}", auth.describe());
        } else {
            LOG.warn("No webhook credential is set (WEBHOOK_STANDARD_SECRET, WEBHOOK_SECRET, WEBHOOK_TOKEN or their _FILE "
                + "forms), or their schemes are switched off: the webhook refuses every request (401). {}", auth.describe());
        }
        Duration reload = context.getTypeConverter().mandatoryConvertTo(Duration.class,
            setting(context, "webhook.credentials-reload-interval"));
        if (auth.reloadable() && !reload.isZero()) {
            context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "webhook-credentials")
                .scheduleWithFixedDelay(() -> reloadQuietly(auth), reload.toMillis(), reload.toMillis(), TimeUnit.MILLISECONDS);
        }
        // Closed once the context has stopped, after every service: the webhook's HTTP servers (services added after this
        // point) stop first, on a Vert.x still running (closed earlier, each server's stop failed with a warning).
        context.addLifecycleStrategy(new VertxCloser(bean(context, "webhookServer", WebhookServer.class).vertx()));
    }

    // ---- Shared -------------------------------------------------------------------------------------------------

    @BindToRegistry(lazy = true)
    public ObjectMapper objectMapper() {
        return new ObjectMapper();
    }

    @BindToRegistry(lazy = true)
    public CanonicalJson canonicalJson(ObjectMapper mapper) {
        return new CanonicalJson(mapper);
    }

    @BindToRegistry(lazy = true)
    public Metrics metrics(CamelContext context) {
        return new Metrics(context);
    }

    @BindToRegistry(lazy = true)
    public FlowReachability flowReachability() {
        return new FlowReachability();
    }

    // ---- FLOW ---------------------------------------------------------------------------------------------------

    @BindToRegistry(lazy = true)
    public FlowRetryPolicy flowRetryPolicy(@PropertyInject("flow.api.max-attempts") int maxAttempts,
                                           @PropertyInject("flow.api.retry-initial-delay") Duration initialDelay,
                                           @PropertyInject("flow.api.retry-max-delay") Duration maxDelay,
                                           @PropertyInject("flow.api.retry-after-max") Duration retryAfterMax) {
        return new FlowRetryPolicy(maxAttempts, initialDelay, maxDelay, retryAfterMax);
    }

    @BindToRegistry(lazy = true)
    public FlowHttpClient flowHttpClient(CamelContext context, @PropertyInject("flow.base.url") String baseUrl) {
        return new FlowHttpClient(FlowApiSecret.resolve(new CamelSettings(context)::optional), URI.create(baseUrl));
    }

    @BindToRegistry(lazy = true)
    public FlowHeaderFilter flowHeaderFilter() {
        return new FlowHeaderFilter();
    }

    @BindToRegistry(lazy = true)
    public FlowRequests flowRequests(ObjectMapper mapper, FlowRetryPolicy retryPolicy, Metrics metrics,
                                     FlowReachability reachability) {
        return new FlowRequests(mapper, retryPolicy, metrics, reachability);
    }

    /** The shared FLOW budget; an empty flow.api.rate-limit means no ceiling but what FLOW's answers teach. */
    @BindToRegistry(lazy = true)
    public FlowBudget flowBudget(@PropertyInject("flow.api.rate-limit") String rateLimit,
                                 @PropertyInject("flow.api.rate-initial") double rateInitial,
                                 @PropertyInject("flow.api.rate-margin") double rateMargin,
                                 @PropertyInject("flow.api.rate-probe-interval") Duration probeInterval,
                                 @PropertyInject("flow.api.concurrency-limit") int concurrencyLimit,
                                 @PropertyInject("flow.api.latency-tolerance") double latencyTolerance,
                                 @PropertyInject("flow.api.retry-after-max") Duration retryAfterMax,
                                 Metrics metrics) {
        double ceiling = rateLimit.isBlank() ? NO_CEILING : Double.parseDouble(rateLimit);
        return new FlowBudget(new FlowBudget.Settings(ceiling, rateInitial, rateMargin, probeInterval, concurrencyLimit,
            latencyTolerance), retryAfterMax, metrics);
    }

    @BindToRegistry(lazy = true)
    public FlowAnswers flowAnswers(ObjectMapper mapper) {
        return new FlowAnswers(mapper);
    }

    @BindToRegistry(lazy = true)
    public ExecutorService flowFanOut(CamelContext context, @PropertyInject("flow.poll.concurrency") int concurrency) {
        return context.getExecutorServiceManager().newFixedThreadPool(this, "flow-fan-out", concurrency);
    }

    // ---- Kafka --------------------------------------------------------------------------------------------------

    /**
     * camel-kafka's component, given the cluster's client settings, and flow-bridge's own clients made from the same.
     * It is set up here in Java, not by {@code camel.component.kafka.*}: Camel Main applies those only after the
     * configuration classes, which already create topics and open producers with it; and the security settings are
     * one mapping shared with the operator verbs (see {@link KafkaClients}). It is made here rather than by
     * {@code getComponent}, which autowires a new component's {@link KafkaClientFactory} by type: every transaction
     * bean is one, and each is made of these clients.
     */
    @BindToRegistry(lazy = true)
    public KafkaClients kafkaClients(CamelContext context, Metrics metrics,
                                     @PropertyInject("kafka.bootstrap.servers") String brokers) {
        if (brokers.isBlank()) {
            throw new IllegalStateException("The setting kafka.bootstrap.servers is missing from config/application.properties");
        }
        KafkaComponent kafka = new KafkaComponent();
        kafka.setKafkaClientFactory(new MeteredKafkaClients(metrics));
        kafka.getConfiguration().setBrokers(brokers);
        kafka.getConfiguration().getAdditionalProperties().putAll(KafkaClients.clientSettings(new CamelSettings(context)::optional));
        context.addComponent("kafka", kafka);
        return new KafkaClients(kafka.getConfiguration());
    }

    @BindToRegistry(lazy = true)
    public TopicReader topicReader(KafkaClients clients, @PropertyInject("kafka.read-back-timeout") Duration timeout) {
        return new TopicReader(clients, timeout);
    }

    @BindToRegistry(lazy = true)
    public KafkaTopics kafkaTopics(KafkaClients clients, @PropertyInject("kafka.topic.create") boolean create,
                                   @PropertyInject("kafka.topic.partitions") int partitions,
                                   @PropertyInject("kafka.topic.replication-factor") int replicationFactor,
                                   @PropertyInject("kafka.topic.min-compaction-lag") Duration minCompactionLag) {
        return new KafkaTopics(clients, create, partitions, (short) replicationFactor, minCompactionLag);
    }

    /** flow-bridge's own facts (snapshot markers, report progress). */
    @BindToRegistry(lazy = true)
    public StateStore stateStore(@PropertyInject("kafka.topic.state") String topic, TopicReader reader) {
        return new StateStore(topic, reader);
    }

    @BindToRegistry(lazy = true)
    public KafkaReachability kafkaReachability(KafkaClients clients) {
        return new KafkaReachability(clients);
    }

    // ---- Change capture, shared by every entity polled from FLOW ------------------------------------------------

    @BindToRegistry(lazy = true)
    public ChangeDetector changeDetector(CanonicalJson canonical) {
        return new ChangeDetector(canonical);
    }

    @BindToRegistry(lazy = true)
    public ChangeRecords changeRecords(CamelContext context, ObjectMapper mapper, CanonicalJson canonical,
                                       @PropertyInject("flow.base.url") String baseUrl) {
        return new ChangeRecords(context, mapper, canonical, version(), baseUrl);
    }

    @BindToRegistry(lazy = true)
    public PollFailures pollFailures(StateStore facts) {
        return new PollFailures(facts);
    }

    // ---- One active poller on any number of instances; its writes transactional, fenced when another takes over --

    @BindToRegistry(lazy = true)
    public PollerMetrics pollerMetrics(Metrics metrics) {
        return new PollerMetrics(metrics);
    }

    @BindToRegistry(lazy = true)
    public PollerRole pollerRole(KafkaClients clients, Metrics metrics, PollFailures pollFailures, PollerMetrics pollerMetrics,
                                 @PropertyInject("flow.instance-id") String instance,
                                 @PropertyInject("flow.poller.transactional-id") String transactionalId,
                                 @PropertyInject("flow.poller.transaction-timeout") Duration transactionTimeout,
                                 @PropertyInject("flow.poll.concurrency") int pollConcurrency,
                                 @PropertyInject("flow.reports.concurrency") int reportsConcurrency,
                                 @PropertyInject("flow.reports.kafka.linger-ms") String lingerMs,
                                 @PropertyInject("flow.reports.kafka.batch-bytes") String batchBytes,
                                 @PropertyInject("flow.reports.kafka.compression") String compression,
                                 @PropertyInject("flow.reports.kafka.buffer-bytes") String bufferBytes) {
        Properties producer = clients.producer();
        producer.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes);
        producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        // What a report streamed into its transaction may have in flight (sends wait beyond it): the heap bound of a report.
        producer.put(ProducerConfig.BUFFER_MEMORY_CONFIG, bufferBytes);
        // Enough producers for every poller transaction that can be open at once: sessions, operators, report requests,
        // survey lists, one per registrants fan-out thread and one per report published at once.
        int producers = pollConcurrency + reportsConcurrency + 4;
        return new PollerRole(instance, () -> TransactionalProducers.open(transactionalId, producers, producer,
            transactionTimeout, metrics::bindProducer), pollFailures::readBackBeforeNextCycle, pollerMetrics);
    }

    @BindToRegistry(lazy = true)
    public KafkaTransactionScope pollerTransaction(PollerRole role) {
        return new KafkaTransactionScope("pollerTransaction", role);
    }

    @BindToRegistry(lazy = true)
    public KafkaClientFactory pollerTransactionPipelined(@BeanInject("pollerTransaction") KafkaTransactionScope transaction) {
        return transaction.pipelined();
    }

    /** The route policy of the poll routes: the election flow.poller.lock asks for (kafka, file or cluster-service). */
    @BindToRegistry(lazy = true)
    public ClusteredRoutePolicy pollerLeadership(CamelContext context, PollerRole role, KafkaClients clients,
                                                 @PropertyInject("flow.poller.lock") String lock,
                                                 @PropertyInject("flow.instance-id") String instance,
                                                 @PropertyInject("kafka.topic.poller") String topic,
                                                 @PropertyInject("flow.poller.group") String group,
                                                 @PropertyInject("flow.poller.session-timeout") Duration sessionTimeout,
                                                 @PropertyInject("flow.poller.lock-dir") String lockDir,
                                                 @PropertyInject("flow.poller.lock-interval") Duration lockInterval)
        throws Exception {
        return PollerLeadership.policy(context, new PollerLeadership.Election(lock, instance, topic, group,
            sessionTimeout, clients.grouplessConsumer(), lockDir, lockInterval), role);
    }

    // ---- Webhook: who may send (credentials, a rate per key, replays), and the limits of its HTTP server ---------

    @BindToRegistry(lazy = true)
    public WebhookAuth webhookAuth(CamelContext context) {
        return WebhookAuth.fromSettings(new CamelSettings(context)::optional, Clock.systemUTC());
    }

    @BindToRegistry(lazy = true)
    public WebhookGate webhookGate(WebhookAuth auth, @PropertyInject("webhook.rate-limit") int rateLimit, Metrics metrics) {
        return new WebhookGate(auth, rateLimit, metrics);
    }

    /**
     * The webhook HTTP server's own Vert.x and the guard of its connections, which {@code webhookVertx} and
     * {@code platform-http-engine} share (the Vert.x is not a bean itself: Camel finds the server's Vert.x by type).
     */
    public record WebhookServer(Vertx vertx, ConnectionGuard guard) {
    }

    @BindToRegistry(lazy = true)
    public WebhookServer webhookServer(@PropertyInject("webhook.port") int port,
                                       @PropertyInject("webhook.max-connections") int maxConnections,
                                       @PropertyInject("webhook.header-timeout") Duration headerTimeout,
                                       @PropertyInject("webhook.body-timeout") Duration bodyTimeout,
                                       Metrics metrics, ObjectMapper mapper) {
        Vertx vertx = Vertx.vertx();
        return new WebhookServer(vertx, new ConnectionGuard(vertx, port, maxConnections, headerTimeout, bodyTimeout, metrics, mapper));
    }

    @BindToRegistry(lazy = true)
    public Vertx webhookVertx(WebhookServer server, @PropertyInject("webhook.max-header-bytes") int maxHeaderBytes) {
        return HttpServerLimits.vertx(server.vertx(), maxHeaderBytes, server.guard());
    }

    @BindToRegistry(value = "platform-http-engine", lazy = true)
    public WebhookHttpEngine platformHttpEngine(WebhookServer server, ObjectMapper mapper, Metrics metrics,
                                                @PropertyInject("webhook.port") int port,
                                                @PropertyInject("webhook.max-body-bytes") int maxBodyBytes,
                                                @PropertyInject("webhook.max-in-flight") int maxInFlight) {
        return new WebhookHttpEngine(port, maxBodyBytes, mapper, server.guard(), new InFlightLimit(maxInFlight, metrics, mapper));
    }

    // ---- Helpers ------------------------------------------------------------------------------------------------

    private static void reloadQuietly(WebhookAuth auth) {
        try {
            auth.reload();
        } catch (RuntimeException unexpected) {
            LOG.warn("Webhook credentials not reloaded, the ones in use stay: {}", unexpected.toString());
        }
    }

    /** Closes the HTTP servers' Vert.x instance when Camel has stopped. */
    private static final class VertxCloser extends LifecycleStrategySupport {
        private final Vertx vertx;

        VertxCloser(Vertx vertx) {
            this.vertx = vertx;
        }

        @Override
        public void onContextStopped(CamelContext context) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("The webhook's Vert.x did not close: {}", e.toString());
            }
        }
    }

    /** A bean of any configuration class, for the start-up work of {@code configure} (made now if not made yet). */
    public static <T> T bean(CamelContext context, String name, Class<T> type) {
        return CamelContextHelper.mandatoryLookup(context, name, type);
    }

    /** A setting, for the start-up work of {@code configure} (bean methods take theirs as {@code @PropertyInject}). */
    public static String setting(CamelContext context, String key) {
        return new CamelSettings(context).required(key);
    }

    /** flow-bridge's version, named in every change record's source. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = FlowBridgeBeans.class.getResourceAsStream("/flow-bridge-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "dev");
    }
}
