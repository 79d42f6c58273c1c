package com.flowbridge.sandbox.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Kafka's own broker, in this JVM, in KRaft mode (one node that is both broker and controller).
 * It backs the sandbox and the tests on machines without Docker: a real broker, not a fake.
 * Data lives in a local folder, so a restart keeps the topics (and flow-bridge's state in them).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Starts a broker on the given port (0 picks a free one) keeping its data in {@code dataDir}.
     * A folder formatted by an earlier run is reused as it is.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, port == 0 ? freePort() : port, freePort());
        broker.startServer();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker, keeping its data; {@link #restart()} brings it back on the same port. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            LOG.info("Embedded Kafka broker on {} stopped", bootstrapServers());
        }
    }

    public synchronized void restart() {
        stop();
        startServer();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void startServer() {
        Properties config = brokerConfig();
        formatIfNew(config);
        server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
        LOG.info("Embedded Kafka broker listening on {} (data in {})", bootstrapServers(), dataDir.toAbsolutePath());
    }

    private Properties brokerConfig() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toAbsolutePath().toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        // Four, not Kafka's 50: every partition's log is flushed and closed when the broker stops (a data folder made
        // before keeps its 50; the coordinator reads the count from the topic).
        p.put("transaction.state.log.num.partitions", "4");
        // Logs are flushed and closed on this many threads when the broker stops (Kafka's default: one, partition after partition).
        p.put("num.recovery.threads.per.data.dir", "8");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        // One node has no other broker to hand its partitions to: a controlled shutdown would only wait for the
        // controller (itself) to give up on that, about 5 s of every stop.
        p.put("controlled.shutdown.enable", "false");
        // Compaction and tombstone removal at a pace that lets a sandbox or a test see them happen.
        p.put("log.cleaner.backoff.ms", "1000");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.put("message.max.bytes", String.valueOf(2 * 1024 * 1024));
        return p;
    }

    /** Formats the storage the way {@code kafka-storage.sh format} does, once per data folder. */
    private void formatIfNew(Properties config) {
        Path logs = dataDir.resolve("logs");
        if (Files.exists(logs.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logs);
            Path propertiesFile = dataDir.resolve("server.properties");
            try (var out = Files.newOutputStream(propertiesFile)) {
                config.store(out, "embedded broker, written by flow-bridge");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exit = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
                "-c", propertiesFile.toString(), "--ignore-formatted"}, new PrintStream(output, true, StandardCharsets.UTF_8));
            if (exit != 0) {
                throw new IllegalStateException("Could not format Kafka storage in " + dataDir + ": " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare Kafka storage in " + dataDir, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for the embedded Kafka broker", e);
        }
    }
}
