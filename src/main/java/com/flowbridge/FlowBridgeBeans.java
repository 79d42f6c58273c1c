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
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.component.timer.TimerConsumer;
import org.apache.camel.component.timer.TimerEndpoint;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans every flow shares, registered first: the door to FLOW (HTTP client with the api-secret, header
 * border, retry policy, the shared budget), the Kafka clients and topic creation, flow-bridge's own state topic, and the pieces
 * of change capture. Each flow then registers its own beans in its own configuration (see {@link FlowBridge}).
 */
public final class FlowBridgeBeans implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("flow-bridge.webhook");
    private static final double NO_CEILING = 1_000_000;

    @Override
    public void configure(CamelContext context) throws Exception {
        CamelSettings settings = new CamelSettings(context);
        Registry registry = context.getRegistry();
        ObjectMapper mapper = new ObjectMapper();
        CanonicalJson canonical = new CanonicalJson(mapper);
        URI flowBaseUrl = URI.create(settings.required("flow.base.url"));
        String unsafe = StartupCheck.unsafeBaseUrl(flowBaseUrl.toString(), settings.bool("flow.api.allow-insecure-http"));
        if (unsafe != null) {
            throw new IllegalStateException(unsafe);
        }
        registry.bind("objectMapper", mapper);
        registry.bind("canonicalJson", canonical);

        // Observability: metrics at /observe/metrics, readiness at /observe/health.
        Metrics metrics = new Metrics(context);
        FlowReachability flowReachability = new FlowReachability();
        registry.bind("metrics", metrics);

        // FLOW
        FlowRetryPolicy retryPolicy = new FlowRetryPolicy(
            settings.integer("flow.api.max-attempts"),
            settings.duration("flow.api.retry-initial-delay"),
            settings.duration("flow.api.retry-max-delay"),
            settings.duration("flow.api.retry-after-max"));
        registry.bind("flowHttpClient", new FlowHttpClient(FlowApiSecret.resolve(settings::optional), flowBaseUrl));
        registry.bind("flowHeaderFilter", new FlowHeaderFilter());
        registry.bind("flowRequests", new FlowRequests(mapper, retryPolicy, metrics, flowReachability));
        registry.bind("flowBudget", new FlowBudget(flowBudgetSettings(settings), settings.duration("flow.api.retry-after-max"), metrics));
        registry.bind("flowAnswers", new FlowAnswers(mapper));
        registry.bind("flowFanOut", context.getExecutorServiceManager()
            .newFixedThreadPool(this, "flow-fan-out", settings.integer("flow.poll.concurrency")));

        // Kafka: the same client settings for camel-kafka's endpoints and for flow-bridge's own clients.
        KafkaComponent kafka = context.getComponent("kafka", KafkaComponent.class);
        kafka.getConfiguration().setBrokers(settings.required("kafka.bootstrap.servers"));
        kafka.getConfiguration().getAdditionalProperties().putAll(KafkaClients.clientSettings(settings::optional));
        kafka.setKafkaClientFactory(new MeteredKafkaClients(metrics));
        KafkaClients clients = new KafkaClients(kafka.getConfiguration());
        TopicReader reader = new TopicReader(clients, settings.duration("kafka.read-back-timeout"));
        KafkaTopics topics = new KafkaTopics(clients, settings.bool("kafka.topic.create"), settings.integer("kafka.topic.partitions"),
            (short) settings.integer("kafka.topic.replication-factor"), settings.duration("kafka.topic.min-compaction-lag"));
        StateStore facts = new StateStore(settings.required("kafka.topic.state"), reader);
        String pollerTopic = settings.required("kafka.topic.poller");
        topics.createMissing(List.of(TopicSpec.compacted(facts.topic()), TopicSpec.singlePartition(pollerTopic)));
        registry.bind("kafkaClients", clients);
        registry.bind("kafkaTopics", topics);
        registry.bind("topicReader", reader);
        registry.bind("stateStore", facts);

        KafkaReachability kafkaReachability = new KafkaReachability(clients);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        health.register(flowReachability);
        health.register(kafkaReachability);
        addService(context, kafkaReachability);
        // The meters ops/prometheus/alerts.yaml and ops/grafana/flow-bridge.json need from the first scrape (statuses as
        // README "Outcomes" lists them).
        context.addStartupListener(new MetersAtStart(metrics, flowReachability, kafkaReachability,
            List.of(settings.required("kafka.topic.registration-dlq"), settings.required("kafka.topic.event-dlq")),
            Map.of("registration", List.of("registered", "rejected", "failed", "duplicate"),
                "event", List.of("created", "rejected", "failed", "duplicate"))));

        // Change capture, shared by every entity polled from FLOW.
        registry.bind("changeDetector", new ChangeDetector(canonical));
        registry.bind("changeRecords", new ChangeRecords(context, mapper, canonical, version(), flowBaseUrl.toString()));
        PollFailures pollFailures = new PollFailures(facts);
        registry.bind("pollFailures", pollFailures);
        // A cycle abandoned at a stop reaches its timer past the error handlers: said once there, not as a warning.
        context.getCamelContextExtension().registerEndpointCallback((uri, endpoint) -> {
            if (endpoint instanceof TimerEndpoint timer && timer.getExceptionHandler() == null) {
                timer.setExceptionHandler(new AbandonedCycles(context, TimerConsumer.class));
            }
            return endpoint;
        });

        // One active poller on any number of instances; its writes transactional, and fenced when another takes over.
        String instance = settings.required("flow.instance-id");
        PollerMetrics pollerMetrics = new PollerMetrics(metrics);
        context.addStartupListener((started, alreadyStarted) -> pollerMetrics.register());
        Properties pollerProducer = clients.producer();
        pollerProducer.put(ProducerConfig.LINGER_MS_CONFIG, settings.required("flow.reports.kafka.linger-ms"));
        pollerProducer.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.required("flow.reports.kafka.batch-bytes"));
        pollerProducer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.required("flow.reports.kafka.compression"));
        // What a report streamed into its transaction may have in flight (sends wait beyond it): the heap bound of a report.
        pollerProducer.put(ProducerConfig.BUFFER_MEMORY_CONFIG, settings.required("flow.reports.kafka.buffer-bytes"));
        // Enough producers for every poller transaction that can be open at once: sessions, operators, report requests,
        // survey lists, one per registrants fan-out thread and one per report published at once.
        int pollerProducers = settings.integer("flow.poll.concurrency") + settings.integer("flow.reports.concurrency") + 4;
        PollerRole role = new PollerRole(instance, () -> TransactionalProducers.open(settings.required("flow.poller.transactional-id"),
            pollerProducers, pollerProducer, settings.duration("flow.poller.transaction-timeout"), metrics::bindProducer),
            pollFailures::readBackBeforeNextCycle, pollerMetrics);
        health.register(role);
        addService(context, role);
        registry.bind("pollerRole", role);
        KafkaTransactionScope pollerTransaction = new KafkaTransactionScope("pollerTransaction", role);
        registry.bind("pollerTransaction", pollerTransaction);
        registry.bind("pollerTransactionPipelined", pollerTransaction.pipelined());
        registry.bind("pollerLeadership", PollerLeadership.policy(context, new PollerLeadership.Election(
            settings.required("flow.poller.lock"), instance, pollerTopic, settings.required("flow.poller.group"),
            settings.duration("flow.poller.session-timeout"), clients.grouplessConsumer(),
            settings.required("flow.poller.lock-dir"), settings.duration("flow.poller.lock-interval")), role));

        // Webhook: who may send (credentials, a rate per key, replays), and the limits of its HTTP server.
        WebhookAuth auth = WebhookAuth.fromSettings(settings::optional, Clock.systemUTC());
        registry.bind("webhookAuth", auth);
        registry.bind("webhookGate", new WebhookGate(auth, settings.integer("webhook.rate-limit"), metrics));
        if (auth.acceptsAny()) {
            LOG.info("Webhook credentials: {}", auth.describe());
        } else {
            LOG.warn("No webhook credential is set (WEBHOOK_STANDARD_SECRET, WEBHOOK_SECRET, WEBHOOK_TOKEN or their _FILE "
                + "forms), or their schemes are switched off: the webhook refuses every request (401). {}", auth.describe());
        }
        Duration reload = settings.duration("webhook.credentials-reload-interval");
        if (auth.reloadable() && !reload.isZero()) {
            context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "webhook-credentials")
                .scheduleWithFixedDelay(() -> reloadQuietly(auth), reload.toMillis(), reload.toMillis(), TimeUnit.MILLISECONDS);
        }
        int webhookPort = settings.integer("webhook.port");
        Vertx vertx = Vertx.vertx();
        // Closed once the context has stopped, after every service: the webhook's HTTP servers (services added after this
        // point) stop first, on a Vert.x still running (closed earlier, each server's stop failed with a warning).
        context.addLifecycleStrategy(new VertxCloser(vertx));
        ConnectionGuard guard = new ConnectionGuard(vertx, webhookPort, settings.integer("webhook.max-connections"),
            settings.duration("webhook.header-timeout"), settings.duration("webhook.body-timeout"), metrics, mapper);
        registry.bind("webhookVertx", HttpServerLimits.vertx(vertx, settings.integer("webhook.max-header-bytes"), guard));
        registry.bind("platform-http-engine", new WebhookHttpEngine(webhookPort, settings.integer("webhook.max-body-bytes"),
            mapper, guard, new InFlightLimit(settings.integer("webhook.max-in-flight"), metrics, mapper)));
    }

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

    /** The shared FLOW budget's settings; an empty flow.api.rate-limit means no ceiling but what FLOW's answers teach. */
    static FlowBudget.Settings flowBudgetSettings(CamelSettings settings) {
        double ceiling = settings.optional("flow.api.rate-limit").map(Double::parseDouble).orElse(NO_CEILING);
        return new FlowBudget.Settings(ceiling, settings.decimal("flow.api.rate-initial"), settings.decimal("flow.api.rate-margin"),
            settings.duration("flow.api.rate-probe-interval"), settings.integer("flow.api.concurrency-limit"),
            settings.decimal("flow.api.latency-tolerance"));
    }

    private static void addService(CamelContext context, Object service) {
        try {
            context.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot add " + service, e);
        }
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
