package com.flowbridge.observe;

import java.util.Properties;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * camel-kafka's clients, with Kafka's own client metrics bound to the metrics registry: records sent per topic
 * ({@code kafka_producer_topic_record_send_total}), errors, and consumer lag
 * ({@code kafka_consumer_fetch_manager_records_lag_max}) appear at {@code /observe/metrics}.
 */
public final class MeteredKafkaClients extends DefaultKafkaClientFactory {

    private final Metrics metrics;

    public MeteredKafkaClients(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Producer getProducer(Properties properties) {
        Producer producer = super.getProducer(properties);
        new KafkaClientMetrics(producer).bindTo(metrics.registry());
        return producer;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Consumer getConsumer(Properties properties) {
        Consumer consumer = super.getConsumer(properties);
        new KafkaClientMetrics(consumer).bindTo(metrics.registry());
        return consumer;
    }
}
