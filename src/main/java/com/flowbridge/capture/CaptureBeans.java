package com.flowbridge.capture;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.kafka.KafkaTopics;
import com.flowbridge.kafka.Notifications;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.kafka.TopicReader;
import com.flowbridge.kafka.TopicSpec;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

import static com.flowbridge.FlowBridgeBeans.bean;

/**
 * The beans change capture shares ({@code captureServices}, {@code cycleFacts}, {@code snapshots} and the
 * {@code notifications} signals are answered on), and the sessions' capture ({@code sessionsCapture}, around
 * {@code sessionChanges}). Each other polled entity's capture is made by its route file (see
 * {@code routes/flow-capture-template.camel.yaml}). How beans are declared: see {@code FlowBridgeBeans}.
 */
@Configuration
public final class CaptureBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        bean(context, "kafkaTopics", KafkaTopics.class).createMissing(List.of(
            TopicSpec.retained(bean(context, "notifications", Notifications.class).topic()),
            TopicSpec.retained(bean(context, "sessionLifecycle", SessionLifecycle.class).topic())));
    }

    @BindToRegistry(lazy = true)
    public CycleFacts cycleFacts(ObjectMapper mapper, ChangeRecords records, StateStore facts,
                                 @PropertyInject("flow.instance-id") String instance) {
        return new CycleFacts(mapper, records, facts, instance);
    }

    @BindToRegistry(lazy = true)
    public Notifications notifications(CamelContext context, ObjectMapper mapper,
                                       @PropertyInject("kafka.topic.notifications") String topic) {
        return new Notifications(context, mapper, topic);
    }

    @BindToRegistry(lazy = true)
    public Snapshots snapshots(StateStore facts, ObjectMapper mapper, ChangeRecords records, Notifications notifications) {
        return new Snapshots(facts, mapper, records, notifications);
    }

    @BindToRegistry(lazy = true)
    public CaptureServices captureServices(StateStore facts, ChangeDetector detector, ChangeRecords records,
                                           CanonicalJson canonical, FlowAnswers answers, CycleFacts cycles,
                                           Snapshots snapshots, TopicReader reader, ObjectMapper mapper, KafkaTopics topics,
                                           PollFailures pollFailures, @PropertyInject("kafka.topic.events") String events,
                                           @PropertyInject("flow.poll.tick") Duration pollTick) {
        return new CaptureServices(facts, detector, records, canonical, answers, cycles, snapshots, reader, mapper, topics,
            pollFailures, events, pollTick);
    }

    /** What was last published about each session, for the flows that work per session (registrants, reports, commands). */
    @BindToRegistry(lazy = true)
    public EmittedState sessionsState(CaptureServices services) {
        return services.sessions();
    }

    @BindToRegistry(lazy = true)
    public SessionLifecycle sessionLifecycle(ChangeRecords records, ObjectMapper mapper, CanonicalJson canonical,
                                             @PropertyInject("kafka.topic.session-lifecycle") String topic,
                                             @PropertyInject("flow.base.url") String baseUrl,
                                             @PropertyInject("flow.api.path.sessions") String sessionsPath) {
        return new SessionLifecycle(records, mapper, canonical, topic, baseUrl + sessionsPath);
    }

    @BindToRegistry(lazy = true)
    public SessionChanges sessionChanges(SessionLifecycle lifecycle, CaptureServices services,
                                         @PropertyInject("flow.poll.event-info") String eventInfo) {
        return new SessionChanges(lifecycle, EventInfoMode.parse(eventInfo), services);
    }

    @BindToRegistry(lazy = true)
    public EntityCapture sessionsCapture(SessionChanges sessions, CaptureServices services,
                                         @PropertyInject("kafka.topic.events") String events,
                                         @PropertyInject("flow.api.path.sessions") String sessionsPath,
                                         @PropertyInject("flow.poll.interval") String interval) {
        return new EntityCapture(sessions, events, sessionsPath, interval, services);
    }
}
