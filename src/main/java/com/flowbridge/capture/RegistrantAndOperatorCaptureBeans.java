package com.flowbridge.capture;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.CamelSettings;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.kafka.KafkaTopics;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.kafka.TopicReader;
import com.flowbridge.kafka.TopicSpec;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * The beans of registrant and operator change capture ({@code routes/flow-registrants-to-kafka.camel.yaml},
 * {@code routes/flow-operators-to-kafka.camel.yaml}). Registered after {@link SessionCaptureBeans}: the
 * registrants flow reads the {@code sessionsState} bean to know which sessions to poll.
 */
public final class RegistrantAndOperatorCaptureBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        CamelSettings settings = new CamelSettings(context);
        CanonicalJson canonical = settings.bean("canonicalJson", CanonicalJson.class);
        ObjectMapper mapper = settings.bean("objectMapper", ObjectMapper.class);
        TopicReader reader = settings.bean("topicReader", TopicReader.class);
        StateStore facts = settings.bean("stateStore", StateStore.class);
        ChangeDetector detector = settings.bean("changeDetector", ChangeDetector.class);
        ChangeRecords records = settings.bean("changeRecords", ChangeRecords.class);

        EmittedState registrants = new EmittedState(settings.required("kafka.topic.registrants"), true, reader, mapper, canonical);
        EmittedState operators = new EmittedState(settings.required("kafka.topic.operators"), false, reader, mapper, canonical);
        settings.bean("kafkaTopics", KafkaTopics.class).createMissing(List.of(
            TopicSpec.compacted(registrants.topic()), TopicSpec.compacted(operators.topic())));
        PollFailures failures = settings.bean("pollFailures", PollFailures.class);
        failures.watch(registrants);
        failures.watch(operators);

        context.getRegistry().bind("registrantChanges", new RegistrantChanges(registrants,
            settings.bean("sessionsState", EmittedState.class), facts, detector, canonical,
            settings.bean("flowAnswers", FlowAnswers.class), records,
            new RegistrantPollWindow(settings.duration("flow.registrants.past-window")), settings.required("flow.api.path.registrants")));
        context.getRegistry().bind("operatorChanges", new OperatorChanges(operators, facts, detector, records,
            settings.required("flow.api.path.operators")));
    }
}
