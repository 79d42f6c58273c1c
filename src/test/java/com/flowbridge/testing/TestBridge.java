package com.flowbridge.testing;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.flowbridge.FlowBridge;
import com.flowbridge.launch.Settings;
import com.flowbridge.sandbox.FlowSandbox;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * flow-bridge as it ships (the routes in routes/, the settings in config/), started in the test JVM against
 * the FLOW sandbox over HTTP and a real Kafka broker. Each test gets its own topics (the shipped names with a
 * unique prefix), so tests sharing one broker cannot see each other's records; restarting with the same
 * {@link Topics} continues where the previous run stopped, as a restarted deployment would.
 */
public final class TestBridge implements AutoCloseable {

    /** The api-secret the test sandbox expects: distinctive, so tests can prove it never leaks. */
    public static final String FLOW_SECRET = "fake-flow-secret";

    private final FlowBridge bridge;
    private final Topics topics;
    private final int webhookPort;

    private TestBridge(FlowBridge bridge, Topics topics, int webhookPort) {
        this.bridge = bridge;
        this.topics = topics;
        this.webhookPort = webhookPort;
    }

    /** Starts flow-bridge with fast test timings; {@code settings} override anything (property keys). */
    public static TestBridge start(FlowSandbox flow, Topics topics, Map<String, String> settings) {
        return start(flow, topics, settings, FlowBridge.CONFIGURATIONS);
    }

    /** As {@link #start(FlowSandbox, Topics, Map)}, with these configuration classes in this order. */
    public static TestBridge start(FlowSandbox flow, Topics topics, Map<String, String> settings,
                                   List<Class<? extends CamelConfiguration>> configurations) {
        Settings config = Settings.load(FlowBridge.CONFIG_FILE, Map.of());
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        overrides.put("flow.base.url", flow.baseUrl());
        overrides.put("flow.api.secret", FLOW_SECRET);
        overrides.put("flow.poll.interval", "1s");
        overrides.put("flow.poll.initial-delay", "0");
        overrides.put("flow.api.retry-initial-delay", "50ms");
        overrides.put("flow.api.retry-max-delay", "400ms");
        overrides.put("flow.api.rate-limit", "1000");
        overrides.put("flow.poller.lock-dir", topics.lockDir().toString());
        overrides.put("flow.poller.lock-interval", "1s");
        // The webhook and management servers listen on free ports (other test runs may share this machine).
        overrides.put("webhook.port", String.valueOf(BridgeProcess.freePort()));
        overrides.put("management.port", String.valueOf(BridgeProcess.freePort()));
        overrides.putAll(topics.overrides());
        // Each test's command consumers in their own group: a member another test left behind cannot hold them up.
        overrides.put("commands.group-id", topics.get("kafka.topic.command-ledger") + ".consumers");
        overrides.put("signals.group-id", topics.get("kafka.topic.signals") + ".group");
        // ... and their own poller election and transactional ids: bridges of one test compete, other tests' do not.
        overrides.put("flow.poller.group", topics.get("kafka.topic.poller") + ".group");
        overrides.put("flow.poller.transactional-id", topics.get("kafka.topic.poller") + ".writer");
        overrides.put("flow.poller.session-timeout", "6s");
        overrides.put("commands.transactional-id", topics.get("kafka.topic.command-ledger") + ".writer");
        // Each bridge its own instance (its own command producers): two bridges of one test JVM must not fence each other.
        overrides.put("flow.instance-id", "bridge-" + UUID.randomUUID().toString().substring(0, 8));
        overrides.putAll(settings);
        overrides.forEach(config::override);
        try {
            return new TestBridge(FlowBridge.start(config, configurations), topics, Integer.parseInt(overrides.get("webhook.port")));
        } catch (Exception e) {
            throw new IllegalStateException("flow-bridge did not start", e);
        }
    }

    public static TestBridge start(FlowSandbox flow, Topics topics) {
        return start(flow, topics, Map.of());
    }

    public CamelContext context() {
        return bridge.context();
    }

    public Topics topics() {
        return topics;
    }

    /** The port of the webhook endpoints (a free one, picked at start). */
    public int webhookPort() {
        return webhookPort;
    }


    @Override
    public void close() {
        try {
            bridge.close();
        } catch (Exception e) {
            throw new IllegalStateException("flow-bridge did not stop cleanly", e);
        }
    }

    /** The shipped topic names (every {@code kafka.topic.*} name in config/application.properties) under a unique prefix. */
    public static final class Topics {
        private final Map<String, String> byProperty = new LinkedHashMap<>();
        private final Path lockDir;

        public static Topics unique() {
            return new Topics("it-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        }

        private Topics(String prefix) {
            try {
                lockDir = Files.createTempDirectory("flow-bridge-" + prefix + "locks");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Properties shipped = new Properties();
            try (Reader reader = Files.newBufferedReader(FlowBridge.CONFIG_FILE, StandardCharsets.UTF_8)) {
                shipped.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String key : shipped.stringPropertyNames()) {
                String value = shipped.getProperty(key).trim();
                if (key.startsWith("kafka.topic.") && value.matches("[a-zA-Z][a-zA-Z0-9_-]*(\\.[a-zA-Z0-9_-]+)+")) {
                    byProperty.put(key, prefix + value);
                }
            }
        }

        /** The topic configured under {@code property}, e.g. {@code kafka.topic.events}. */
        public String get(String property) {
            String topic = byProperty.get(property);
            if (topic == null) {
                throw new IllegalArgumentException("No topic setting " + property + " in config/application.properties");
            }
            return topic;
        }

        Map<String, String> overrides() {
            return byProperty;
        }

        /** The same topics as environment variables, for a flow-bridge process (KAFKA_TOPIC_EVENTS=...). */
        public Map<String, String> environment() {
            Map<String, String> environment = new LinkedHashMap<>();
            byProperty.forEach((key, topic) -> environment.put(Settings.environmentVariable(key), topic));
            return environment;
        }

        /** Where the bridges of this test take the poller lock (a restarted bridge takes it again). */
        public Path lockDir() {
            return lockDir;
        }
    }
}
