package com.flowbridge.signal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.capture.ChangeRecords;
import com.flowbridge.capture.EmittedState;
import com.flowbridge.capture.Snapshots;
import com.flowbridge.kafka.KafkaClients;
import com.flowbridge.kafka.KafkaTopics;
import com.flowbridge.kafka.Notifications;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.kafka.TopicSpec;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

import static com.flowbridge.FlowBridgeBeans.bean;
import static com.flowbridge.FlowBridgeBeans.setting;

/**
 * The beans of {@code routes/signals.camel.yaml}: {@code signals} (taking them from Kafka) and {@code signalRequests}
 * (HTTP). How beans are declared: see {@code FlowBridgeBeans}.
 */
@Configuration
public final class SignalBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        bean(context, "kafkaTopics", KafkaTopics.class)
            .createMissing(List.of(TopicSpec.retained(setting(context, "kafka.topic.signals"))));
    }

    @BindToRegistry(lazy = true)
    public SignalParser signalParser(ObjectMapper mapper, Snapshots snapshots,
                                     @PropertyInject("kafka.topic.registration-dlq") String registrationDeadLetters,
                                     @PropertyInject("kafka.topic.registration-commands") String registrationCommands,
                                     @PropertyInject("kafka.topic.event-dlq") String eventDeadLetters,
                                     @PropertyInject("kafka.topic.event-commands") String eventCommands) {
        return new SignalParser(mapper, snapshots::collections, new TreeMap<>(Map.of(
            registrationDeadLetters, registrationCommands, eventDeadLetters, eventCommands)));
    }

    @BindToRegistry(lazy = true)
    public Signals signals(SignalParser parser, StateStore facts, @BeanInject("sessionsState") EmittedState sessions,
                           ChangeRecords records, Notifications notifications, ObjectMapper mapper, KafkaClients clients) {
        return new Signals(parser, facts, sessions, records, notifications, mapper, clients.common());
    }

    @BindToRegistry(lazy = true)
    public SignalRequests signalRequests(SignalParser parser, ObjectMapper mapper, Notifications notifications) {
        return new SignalRequests(parser, mapper, notifications.topic());
    }
}
