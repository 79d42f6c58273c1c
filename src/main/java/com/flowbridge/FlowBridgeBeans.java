package com.flowbridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.capture.CanonicalJson;
import com.flowbridge.capture.ChangeDetector;
import com.flowbridge.capture.ChangeRecords;
import com.flowbridge.capture.EmittedState;
import com.flowbridge.capture.EventInfoMode;
import com.flowbridge.capture.PollFailures;
import com.flowbridge.capture.SessionChanges;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.flow.FlowApiSecret;
import com.flowbridge.flow.FlowHeaderFilter;
import com.flowbridge.flow.FlowHttpClient;
import com.flowbridge.flow.FlowRequests;
import com.flowbridge.flow.FlowRetryPolicy;
import com.flowbridge.kafka.KafkaClients;
import com.flowbridge.kafka.KafkaTopics;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.kafka.TopicReader;
import com.flowbridge.kafka.TopicSpec;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.TimeUtils;

/**
 * Every bean the YAML routes refer to, created and registered in this one place, from the settings in
 * {@code config/application.properties} (and the environment variables that override them).
 */
public final class FlowBridgeBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        ObjectMapper mapper = new ObjectMapper();
        CanonicalJson canonical = new CanonicalJson(mapper);
        URI flowBaseUrl = URI.create(settings.required("flow.base.url"));

        // FLOW
        FlowRetryPolicy retryPolicy = new FlowRetryPolicy(
            settings.integer("flow.api.max-attempts"),
            settings.duration("flow.api.retry-initial-delay"),
            settings.duration("flow.api.retry-max-delay"),
            settings.duration("flow.api.retry-after-max"));
        FlowAnswers answers = new FlowAnswers(mapper);
        registry.bind("flowHttpClient", new FlowHttpClient(FlowApiSecret.resolve(settings::optional), flowBaseUrl));
        registry.bind("flowHeaderFilter", new FlowHeaderFilter());
        registry.bind("flowRequests", new FlowRequests(mapper, retryPolicy));
        registry.bind("flowAnswers", answers);
        registry.bind("flowFanOut", fanOutPool(context, settings.integer("flow.poll.concurrency")));

        // Kafka
        KafkaComponent kafka = context.getComponent("kafka", KafkaComponent.class);
        kafka.getConfiguration().setBrokers(settings.required("kafka.bootstrap.servers"));
        kafka.getConfiguration().getAdditionalProperties().putAll(KafkaClients.clientSettings(settings::optional));
        KafkaClients clients = new KafkaClients(kafka.getConfiguration());
        TopicReader reader = new TopicReader(clients.consumer(), settings.duration("kafka.read-back-timeout"));
        StateStore facts = new StateStore(settings.required("kafka.topic.state"), reader, clients);
        registry.bind("stateStore", facts);

        // Change capture
        ChangeDetector detector = new ChangeDetector(canonical);
        ChangeRecords records = new ChangeRecords(context, mapper, canonical, version(), flowBaseUrl.toString());
        EmittedState sessions = new EmittedState(settings.required("kafka.topic.events"), false, reader, mapper, canonical);
        registry.bind("changeRecords", records);
        registry.bind("sessionChanges", new SessionChanges(sessions, facts, detector, canonical, answers, records,
            EventInfoMode.parse(settings.required("flow.poll.event-info")), settings.required("flow.api.path.sessions")));
        registry.bind("pollFailures", new PollFailures(List.of(sessions), facts));

        // Topics exist, and are compacted where flow-bridge reads them back, before any route starts.
        if (Boolean.parseBoolean(settings.required("kafka.topic.create"))) {
            long compactionLag = settings.duration("kafka.topic.min-compaction-lag").toMillis();
            List<TopicSpec> topics = List.of(
                TopicSpec.compacted(settings.required("kafka.topic.events"), compactionLag),
                TopicSpec.compacted(settings.required("kafka.topic.state"), 0));
            new KafkaTopics(clients, settings.integer("kafka.topic.partitions"), (short) settings.integer("kafka.topic.replication-factor"))
                .createMissing(topics);
        }
    }

    private static ExecutorService fanOutPool(CamelContext context, int size) {
        return context.getExecutorServiceManager().newFixedThreadPool(FlowBridgeBeans.class, "flow-fan-out", size);
    }

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

    /** Reads settings through Camel's properties, so environment variables override the file as everywhere else. */
    private record Settings(CamelContext context) {

        java.util.Optional<String> optional(String key) {
            return context.getPropertiesComponent().resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
        }

        String required(String key) {
            return optional(key).orElseThrow(() -> new IllegalStateException("The setting " + key + " is missing from config/application.properties"));
        }

        int integer(String key) {
            return Integer.parseInt(required(key));
        }

        Duration duration(String key) {
            return Duration.ofMillis(TimeUtils.toMilliSeconds(required(key)));
        }
    }
}
