package com.flowbridge.capture;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.CamelSettings;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.kafka.KafkaTopics;
import com.flowbridge.kafka.Notifications;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.kafka.TopicReader;
import com.flowbridge.kafka.TopicSpec;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * The beans change capture shares ({@code captureServices}, {@code cycleFacts}, {@code snapshots} and the
 * {@code notifications} signals are answered on), and the sessions' capture
 * ({@code sessionsCapture}, around {@code sessionChanges}). Each other polled entity's capture is made by its route
 * file (see {@code routes/flow-capture-template.camel.yaml}).
 */
public final class CaptureBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        CamelSettings settings = new CamelSettings(context);
        ObjectMapper mapper = settings.bean("objectMapper", ObjectMapper.class);
        CanonicalJson canonical = settings.bean("canonicalJson", CanonicalJson.class);
        StateStore facts = settings.bean("stateStore", StateStore.class);
        ChangeRecords records = settings.bean("changeRecords", ChangeRecords.class);
        KafkaTopics topics = settings.bean("kafkaTopics", KafkaTopics.class);

        CycleFacts cycles = new CycleFacts(mapper, records, facts, settings.required("flow.instance-id"));
        Notifications notifications = new Notifications(context, mapper, settings.required("kafka.topic.notifications"));
        topics.createMissing(List.of(TopicSpec.retained(notifications.topic())));
        Snapshots snapshots = new Snapshots(facts, mapper, records, notifications);
        CaptureServices services = new CaptureServices(facts, settings.bean("changeDetector", ChangeDetector.class), records,
            canonical, settings.bean("flowAnswers", FlowAnswers.class), cycles, snapshots,
            settings.bean("topicReader", TopicReader.class), mapper, topics, settings.bean("pollFailures", PollFailures.class),
            settings.required("kafka.topic.events"), settings.duration("flow.poll.tick"));
        SessionLifecycle lifecycle = new SessionLifecycle(records, mapper, canonical, settings.required("kafka.topic.session-lifecycle"),
            settings.required("flow.base.url") + settings.required("flow.api.path.sessions"));
        topics.createMissing(List.of(TopicSpec.retained(lifecycle.topic())));

        context.getRegistry().bind("cycleFacts", cycles);
        context.getRegistry().bind("notifications", notifications);
        context.getRegistry().bind("snapshots", snapshots);
        context.getRegistry().bind("captureServices", services);
        // What was last published about each session, for the flows that work per session (registrants, reports, commands).
        context.getRegistry().bind("sessionsState", services.sessions());
        SessionChanges sessions = new SessionChanges(lifecycle, EventInfoMode.parse(settings.required("flow.poll.event-info")), services);
        context.getRegistry().bind("sessionChanges", sessions);
        context.getRegistry().bind("sessionsCapture", new EntityCapture(sessions, settings.required("kafka.topic.events"),
            settings.required("flow.api.path.sessions"), settings.required("flow.poll.interval"), services));
    }
}
