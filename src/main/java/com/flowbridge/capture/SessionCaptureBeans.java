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

/** The beans of sessions change capture and session lifecycle records ({@code routes/flow-sessions-to-kafka.camel.yaml}). */
public final class SessionCaptureBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        CamelSettings settings = new CamelSettings(context);
        CanonicalJson canonical = settings.bean("canonicalJson", CanonicalJson.class);
        EmittedState sessions = new EmittedState(settings.required("kafka.topic.events"), false,
            settings.bean("topicReader", TopicReader.class), settings.bean("objectMapper", ObjectMapper.class), canonical);
        String sessionsPath = settings.required("flow.api.path.sessions");
        SessionLifecycle lifecycle = new SessionLifecycle(settings.bean("changeRecords", ChangeRecords.class),
            settings.bean("objectMapper", ObjectMapper.class), canonical, settings.required("kafka.topic.session-lifecycle"),
            settings.required("flow.base.url") + sessionsPath);
        settings.bean("kafkaTopics", KafkaTopics.class).createMissing(List.of(
            TopicSpec.compacted(sessions.topic()), TopicSpec.retained(lifecycle.topic())));
        settings.bean("pollFailures", PollFailures.class).watch(sessions);

        // What was last published about each session, for the flows that work per session (registrants, reports).
        context.getRegistry().bind("sessionsState", sessions);
        context.getRegistry().bind("sessionChanges", new SessionChanges(sessions, settings.bean("stateStore", StateStore.class),
            settings.bean("changeDetector", ChangeDetector.class), canonical, settings.bean("flowAnswers", FlowAnswers.class),
            settings.bean("changeRecords", ChangeRecords.class), lifecycle, EventInfoMode.parse(settings.required("flow.poll.event-info")),
            sessionsPath));
    }
}
