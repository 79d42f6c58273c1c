package com.flowbridge.signal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.CamelSettings;
import com.flowbridge.capture.ChangeRecords;
import com.flowbridge.capture.EmittedState;
import com.flowbridge.capture.Snapshots;
import com.flowbridge.kafka.KafkaClients;
import com.flowbridge.kafka.KafkaTopics;
import com.flowbridge.kafka.Notifications;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.kafka.TopicSpec;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The beans of {@code routes/signals.camel.yaml}: {@code signals} (taking them from Kafka) and {@code signalRequests} (HTTP). */
public final class SignalBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        CamelSettings settings = new CamelSettings(context);
        ObjectMapper mapper = settings.bean("objectMapper", ObjectMapper.class);
        Notifications notifications = settings.bean("notifications", Notifications.class);
        Snapshots snapshots = settings.bean("snapshots", Snapshots.class);
        settings.bean("kafkaTopics", KafkaTopics.class).createMissing(List.of(TopicSpec.retained(settings.required("kafka.topic.signals"))));
        SignalParser parser = new SignalParser(mapper, snapshots::collections, new TreeMap<>(Map.of(
            settings.required("kafka.topic.registration-dlq"), settings.required("kafka.topic.registration-commands"),
            settings.required("kafka.topic.event-dlq"), settings.required("kafka.topic.event-commands"))));
        context.getRegistry().bind("signals", new Signals(parser, settings.bean("stateStore", StateStore.class),
            settings.bean("sessionsState", EmittedState.class), settings.bean("changeRecords", ChangeRecords.class), notifications,
            mapper, settings.bean("kafkaClients", KafkaClients.class).common()));
        context.getRegistry().bind("signalRequests", new SignalRequests(parser, mapper, notifications.topic()));
    }
}
