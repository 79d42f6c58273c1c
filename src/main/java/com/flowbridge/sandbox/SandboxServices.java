package com.flowbridge.sandbox;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import com.flowbridge.launch.Settings;
import com.flowbridge.sandbox.kafka.EmbeddedKafkaBroker;
import org.apache.camel.Service;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListener;
import org.apache.camel.main.MainListenerSupport;

/**
 * The two stand-ins of the sandbox: Apache Kafka's own broker (KRaft, in this JVM, data under
 * {@code sandbox.data-dir}) and the FLOW sandbox over real HTTP. No account, no cluster, no Docker needed.
 * <p>
 * The sandbox's one door for the launcher ({@code com.flowbridge.FlowBridge}): product code never reaches into the
 * sandbox packages (SandboxBoundaryTest). With flow-bridge running beside them, the two stop last, as the first service
 * of flow-bridge's Camel context (Camel stops services in the reverse order they were added, after every route,
 * endpoint and component): every Kafka client has closed by the time the broker goes, so a stop prints no connection
 * warnings.
 */
public final class SandboxServices implements AutoCloseable, Service {

    /** The sandbox's api-secret: a public, fake value, which is why it may be printed. */
    public static final String SANDBOX_API_SECRET = "sandbox-secret";
    /** The sandbox's webhook secret: public and fake too. */
    public static final String SANDBOX_WEBHOOK_SECRET = "sandbox-webhook-secret";
    /** The sandbox's Standard Webhooks secret: whsec_ and the base64 of "fake-sandbox-standard-webhooks-secret". */
    public static final String SANDBOX_STANDARD_WEBHOOK_SECRET = "whsec_ZmFrZS1zYW5kYm94LXN0YW5kYXJkLXdlYmhvb2tzLXNlY3JldA==";

    private final EmbeddedKafkaBroker broker;
    private final FlowSandbox flow;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private SandboxServices(EmbeddedKafkaBroker broker, FlowSandbox flow) {
        this.broker = broker;
        this.flow = flow;
    }

    public static SandboxServices start(Settings settings) {
        Path dataDir = Path.of(settings.get("sandbox.data-dir", "data/sandbox"));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"),
            Integer.parseInt(settings.get("sandbox.kafka-port", "9092")));
        FlowSandbox flow = FlowSandbox.start("127.0.0.1", Integer.parseInt(settings.get("sandbox.flow-port", "8081")),
            SANDBOX_API_SECRET);
        return new SandboxServices(broker, flow);
    }

    /**
     * {@code --sandbox-only}: prints where the two listen and runs until SIGTERM or Ctrl-C, which a JVM shutdown hook of
     * their own answers (no Camel runs).
     */
    public void runAlone() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "sandbox-shutdown"));
        printAddresses(false);
        stopped.await();
    }

    /**
     * {@code --sandbox}: ties the two to flow-bridge's Camel Main. They are added to the Camel context before anything
     * else is (so Camel stops them after everything else, within its own shutdown hook), and their addresses are printed
     * once flow-bridge runs.
     */
    public MainListener runningBeside() {
        SandboxServices services = this;
        return new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport main) {
                try {
                    main.getCamelContext().addService(services, true, false);
                } catch (Exception e) {
                    throw new IllegalStateException("The sandbox could not be tied to flow-bridge's lifecycle", e);
                }
            }

            @Override
            public void afterStart(BaseMainSupport main) {
                printAddresses(true);
            }
        };
    }

    /** Points flow-bridge at the sandbox, whatever the environment says about FLOW and Kafka. */
    public void pointAt(Settings settings) {
        settings.override("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.override("flow.base.url", flow.baseUrl());
        settings.override("flow.api.secret", SANDBOX_API_SECRET);
        if (settings.get("webhook.secret").isEmpty() && settings.get("webhook.secret-file").isEmpty()) {
            settings.override("webhook.secret", SANDBOX_WEBHOOK_SECRET);
        }
        if (settings.get("webhook.standard-secret").isEmpty() && settings.get("webhook.standard-secret-file").isEmpty()) {
            settings.override("webhook.standard-secret", SANDBOX_STANDARD_WEBHOOK_SECRET);
        }
        settings.override("flow.poll.interval", settings.get("sandbox.poll-interval", "10s"));
        settings.override("routes.reload", settings.givenAtLaunch("routes.reload").orElse("true"));
    }

    private void printAddresses(boolean bridgeRunning) {
        System.out.printf("""

            ==== flow-bridge sandbox ====
              FLOW sandbox : %s   (api-secret: %s; control API at %s/sandbox)
              Kafka broker : %s   (data in %s)
            %s
              Watch a topic : kcat -b %s -C -t flow.events -f '%%k %%s\\n'
              Change FLOW   : curl -X PATCH %s/sandbox/sessions/<token> -d '{"title":"New title"}'
            =============================
            %n""",
            flow.baseUrl(), SANDBOX_API_SECRET, flow.baseUrl().replace("/api/v1", ""),
            broker.bootstrapServers(), broker.dataDir(),
            bridgeRunning ? "  flow-bridge   : running, polling the sandbox (Ctrl-C stops everything)" : "  flow-bridge   : not started (--sandbox-only); Ctrl-C stops",
            broker.bootstrapServers(), flow.baseUrl().replace("/api/v1", ""));
    }

    @Override
    public void start() {
        // Both were started before flow-bridge, which needed their addresses.
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        flow.close();
        broker.close();
        stopped.countDown();
    }
}
