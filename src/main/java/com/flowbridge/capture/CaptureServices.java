package com.flowbridge.capture;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.flow.FlowAnswers;
import com.flowbridge.kafka.KafkaTopics;
import com.flowbridge.kafka.StateStore;
import com.flowbridge.kafka.TopicReader;
import com.flowbridge.kafka.TopicSpec;

/**
 * What every polled entity's capture ({@link EntityCapture}) shares: the change detector, the record builder, the
 * facts on the state topic, the snapshots signals ask for, what was published about FLOW's sessions, and one {@link EmittedState} per change topic
 * (created compacted if missing, read back after a cycle that failed while publishing).
 */
public final class CaptureServices {

    final StateStore facts;
    final ChangeDetector detector;
    final ChangeRecords records;
    final CanonicalJson canonical;
    final FlowAnswers answers;
    final CycleFacts cycles;
    final Snapshots snapshots;
    /** How often the poll routes ask whether a cycle is due ({@code flow.poll.tick}). */
    final Duration pollTick;
    private final TopicReader reader;
    private final ObjectMapper mapper;
    private final KafkaTopics topics;
    private final PollFailures failures;
    private final String sessionsTopic;
    private final ConcurrentMap<String, EmittedState> changeTopics = new ConcurrentHashMap<>();

    /** @param sessionsTopic where sessions' changes are published ({@code kafka.topic.events}) */
    public CaptureServices(StateStore facts, ChangeDetector detector, ChangeRecords records, CanonicalJson canonical,
                           FlowAnswers answers, CycleFacts cycles, Snapshots snapshots, TopicReader reader, ObjectMapper mapper,
                           KafkaTopics topics, PollFailures failures, String sessionsTopic, Duration pollTick) {
        this.facts = facts;
        this.detector = detector;
        this.records = records;
        this.canonical = canonical;
        this.answers = answers;
        this.cycles = cycles;
        this.snapshots = snapshots;
        this.reader = reader;
        this.mapper = mapper;
        this.topics = topics;
        this.failures = failures;
        this.sessionsTopic = sessionsTopic;
        this.pollTick = pollTick;
    }

    /** What was last published about FLOW's sessions, for the entities FLOW lists per session, and reports. */
    public EmittedState sessions() {
        return changeTopic(sessionsTopic, false);
    }

    /**
     * What was last published on a change topic; the one instance for that topic.
     *
     * @param perSession whether its keys are {@code sessionToken:id}
     */
    public EmittedState changeTopic(String topic, boolean perSession) {
        return changeTopics.computeIfAbsent(topic, name -> {
            topics.createMissing(List.of(TopicSpec.compacted(name)));
            EmittedState state = new EmittedState(name, perSession, reader, mapper, canonical);
            failures.watch(state);
            return state;
        });
    }
}
