package com.flowbridge.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One place for the Kafka client settings that real clusters need (security protocol, SASL, TLS), applied
 * alike to camel-kafka's endpoints and to the plain clients flow-bridge uses to create topics and to read
 * back what it published. Settings come from {@code kafka.*} keys and, for anything else a cluster needs,
 * from a standard Kafka client properties file ({@code kafka.client-properties-file}).
 */
public final class KafkaClients {

    /**
     * flow-bridge key (and so environment variable, e.g. KAFKA_SASL_JAAS_CONFIG) to Kafka client setting: the one
     * mapping of these keys, for camel-kafka (as its additional properties) and for the operator verbs' plain clients,
     * which run without Camel. camel-kafka has options of these names, but they are not these settings: it passes SASL
     * options only when its own security protocol is SASL_* and SSL ones only for SSL or SASL_SSL (so a protocol given
     * in kafka.client-properties-file would drop them), and an empty endpoint algorithm turns host name verification
     * off where the README promises the client's default. And Camel Main applies camel.component.kafka.* only after
     * the configuration classes, which create topics and open transactional producers with these settings.
     */
    private static final Map<String, String> SETTINGS = Map.of(
        "kafka.security.protocol", "security.protocol",
        "kafka.sasl.mechanism", "sasl.mechanism",
        "kafka.sasl-jaas-config", "sasl.jaas.config",
        "kafka.ssl.truststore.location", "ssl.truststore.location",
        "kafka.ssl.truststore.password", "ssl.truststore.password",
        "kafka.ssl.keystore.location", "ssl.keystore.location",
        "kafka.ssl.keystore.password", "ssl.keystore.password",
        "kafka.ssl.key.password", "ssl.key.password",
        "kafka.ssl.endpoint.identification.algorithm", "ssl.endpoint.identification.algorithm");

    private final KafkaConfiguration camelConfiguration;

    public KafkaClients(KafkaConfiguration camelConfiguration) {
        this.camelConfiguration = camelConfiguration;
    }

    /** The client settings to add to every Kafka client, from flow-bridge's settings. */
    public static Map<String, Object> clientSettings(Function<String, Optional<String>> settings) {
        Map<String, Object> client = new LinkedHashMap<>();
        settings.apply("kafka.client-properties-file").ifPresent(file -> readPropertiesFile(Path.of(file)).forEach(
            (key, value) -> client.put(String.valueOf(key), value)));
        SETTINGS.forEach((key, clientKey) -> settings.apply(key).ifPresent(value -> client.put(clientKey, value)));
        return client;
    }

    /**
     * Settings for a consumer that reads topics without a consumer group (it assigns partitions itself and commits
     * nothing), seeing only committed records: how flow-bridge reads back what it published. Deserializers are the
     * caller's to set.
     */
    public Properties grouplessConsumer() {
        Properties properties = camelConfiguration.createConsumerProperties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, camelConfiguration.getBrokers());
        properties.keySet().removeIf(key -> String.valueOf(key).startsWith("group.") || "client.id".equals(key));
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return properties;
    }

    public Properties producer() {
        Properties properties = camelConfiguration.createProducerProperties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, camelConfiguration.getBrokers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return properties;
    }

    public Admin admin() {
        return Admin.create(common());
    }

    /**
     * What every client flow-bridge opens itself needs: the brokers, flow-bridge's client settings and camel-kafka's
     * security options (the redrive a signal asks for opens its reader and writer with these).
     */
    public Properties common() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, camelConfiguration.getBrokers());
        properties.putAll(camelConfiguration.getAdditionalProperties());
        securityFromCamel().forEach(properties::put);
        return properties;
    }

    /** camel-kafka's own security options, for operators who set them the Camel way. */
    private Map<String, Object> securityFromCamel() {
        Properties consumer = camelConfiguration.createConsumerProperties();
        Map<String, Object> security = new LinkedHashMap<>();
        for (String prefix : List.of("security.", "sasl.", "ssl.")) {
            consumer.stringPropertyNames().stream()
                .filter(name -> name.startsWith(prefix))
                .forEach(name -> security.put(name, consumer.get(name)));
        }
        return security;
    }

    private static Properties readPropertiesFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read kafka.client-properties-file " + file, e);
        }
        return properties;
    }
}
