package com.flowbridge.launch;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import com.flowbridge.kafka.EmbeddedKafkaBroker;
import com.flowbridge.sandbox.FlowSandbox;

/**
 * The two stand-ins of the sandbox: Apache Kafka's own broker (KRaft, in this JVM, data under
 * {@code sandbox.data-dir}) and the FLOW sandbox over real HTTP. No account, no cluster, no Docker needed.
 */
public final class SandboxServices implements AutoCloseable {

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
        SandboxServices services = new SandboxServices(broker, flow);
        Runtime.getRuntime().addShutdownHook(new Thread(services::close, "sandbox-shutdown"));
        return services;
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

    public void printAddresses(boolean bridgeRunning) {
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

    public void awaitShutdown() throws InterruptedException {
        stopped.await();
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
