package com.flowbridge.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import com.flowbridge.kafka.EmbeddedKafkaBroker;
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

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = start();
        }
        return bootstrapServers;
    }

    /** The in-JVM broker, for the tests that stop and restart Kafka; null when the broker is elsewhere. */
    public static synchronized EmbeddedKafkaBroker embeddedBroker() {
        bootstrapServers();
        return embedded;
    }

    private static String start() {
        String given = System.getProperty("kafka.bootstrap.servers");
        if (given != null && !given.isBlank()) {
            System.out.println("[TestKafka] using the broker at " + given);
            return given;
        }
        if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer(IMAGE);
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
