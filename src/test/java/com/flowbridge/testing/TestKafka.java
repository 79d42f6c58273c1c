package com.flowbridge.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import com.flowbridge.sandbox.kafka.EmbeddedKafkaBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real Kafka broker every integration test uses, started once per test JVM. The same tests run against:
 * <ul>
 *   <li>a broker you already have: {@code -Dkafka.bootstrap.servers=HOST:PORT};</li>
 *   <li>otherwise, where Docker runs: Apache Kafka's image through Testcontainers;</li>
 *   <li>otherwise: Apache Kafka's own KRaft broker, started in this JVM ({@link EmbeddedKafkaBroker}).</li>
 * </ul>
 * Nothing is skipped for lack of Docker.
 */
public final class TestKafka {

    private static final String IMAGE = "apache/kafka:3.9.1";

    private static String bootstrapServers;
    private static EmbeddedKafkaBroker embedded;
    private static KafkaContainer container;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = start();
        }
        return bootstrapServers;
    }

    /**
     * Kafka down: the broker stops answering (the in-JVM broker is stopped, keeping its data; a Testcontainers
     * broker is paused). A broker given with -Dkafka.bootstrap.servers cannot be stopped from here: the test fails
     * saying so, rather than passing without an outage.
     */
    public static synchronized void stopBroker() {
        if (embedded != null) {
            embedded.stop();
        } else if (container != null) {
            DockerClientFactory.instance().client().pauseContainerCmd(container.getContainerId()).exec();
        } else {
            throw new AssertionError("A Kafka outage cannot be staged on the broker given with -Dkafka.bootstrap.servers; "
                + "run this test with the in-JVM broker or Testcontainers (leave kafka.bootstrap.servers unset)");
        }
    }

    /** Kafka back: on the same address, with the data it had. */
    public static synchronized void startBroker() {
        if (embedded != null) {
            embedded.restart();
        } else if (container != null) {
            DockerClientFactory.instance().client().unpauseContainerCmd(container.getContainerId()).exec();
        }
    }

    private static String start() {
        String given = System.getProperty("kafka.bootstrap.servers");
        if (given != null && !given.isBlank()) {
            System.out.println("[TestKafka] using the broker at " + given);
            return given;
        }
        if (dockerAvailable()) {
            container = new KafkaContainer(IMAGE);
            container.start();
            System.out.println("[TestKafka] Testcontainers broker " + IMAGE + " at " + container.getBootstrapServers());
            return container.getBootstrapServers();
        }
        try {
            Path dataDir = Files.createTempDirectory("flow-bridge-test-kafka");
            embedded = EmbeddedKafkaBroker.start(dataDir, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "test-kafka-shutdown"));
            System.out.println("[TestKafka] no Docker here: Apache Kafka's own broker in this JVM at " + embedded.bootstrapServers());
            return embedded.bootstrapServers();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean dockerAvailable() {
        if (Boolean.getBoolean("flowbridge.test.no-docker")) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}
