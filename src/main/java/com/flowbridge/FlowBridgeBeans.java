package com.flowbridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.capture.CanonicalJson;
import com.flowbridge.capture.ChangeDetector;
import com.flowbridge.capture.ChangeRecords;
import com.flowbridge.capture.PollFailures;
import com.flowbridge.cluster.PollerLeadership;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.flow.FlowApiSecret;
import com.flowbridge.flow.FlowBudget;
import com.flowbridge.flow.FlowHeaderFilter;
import com.flowbridge.flow.FlowHttpClient;
import com.flowbridge.flow.FlowRequests;
import com.flowbridge.flow.FlowRetryPolicy;
import com.flowbridge.kafka.KafkaClients;
import com.flowbridge.kafka.KafkaTopics;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.kafka.TopicReader;
import com.flowbridge.kafka.TopicSpec;
import com.flowbridge.launch.StartupCheck;
import com.flowbridge.observe.FlowReachability;
import com.flowbridge.observe.KafkaReachability;
import com.flowbridge.observe.MeteredKafkaClients;
import com.flowbridge.observe.Metrics;
import com.flowbridge.webhook.WebhookAuth;
import com.flowbridge.webhook.WebhookHttpEngine;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;

/**
 * The beans every flow shares, registered first: the door to FLOW (HTTP client with the api-secret, header
 * border, retry policy, the shared budget), the Kafka clients and topic creation, flow-bridge's own state topic, and the pieces
 * of change capture. Each flow then registers its own beans in its own configuration (see {@link FlowBridge}).
 */
public final class FlowBridgeBeans implements CamelConfiguration {

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
        StateStore facts = new StateStore(settings.required("kafka.topic.state"), reader, clients);
        topics.createMissing(List.of(TopicSpec.compacted(facts.topic())));
        registry.bind("kafkaClients", clients);
        registry.bind("kafkaTopics", topics);
        registry.bind("topicReader", reader);
        registry.bind("stateStore", facts);

        KafkaReachability kafkaReachability = new KafkaReachability(clients);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        health.register(flowReachability);
        health.register(kafkaReachability);
        addService(context, kafkaReachability);

        // Change capture, shared by every entity polled from FLOW.
        registry.bind("changeDetector", new ChangeDetector(canonical));
        registry.bind("changeRecords", new ChangeRecords(context, mapper, canonical, version(), flowBaseUrl.toString()));
        PollFailures pollFailures = new PollFailures(facts);
        registry.bind("pollFailures", pollFailures);
        registry.bind("pollerLeadership", PollerLeadership.policy(context, settings, pollFailures));

        // Webhook
        registry.bind("webhookAuth", WebhookAuth.fromSettings(settings::optional));
        registry.bind("platform-http-engine", new WebhookHttpEngine(settings.integer("webhook.port"),
            settings.integer("webhook.max-body-bytes"), mapper));
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
