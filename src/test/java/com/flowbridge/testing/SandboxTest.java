package com.flowbridge.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.sandbox.FlowSandbox;
import com.flowbridge.sandbox.SandboxState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base for integration tests: one FLOW sandbox (real HTTP, ephemeral port) per class, reset before each
 * test, fresh topics per test on the shared real broker, and whatever bridges and probes the test opens
 * closed after it.
 */
public abstract class SandboxTest {

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final Duration WAIT = Duration.ofSeconds(30);

    protected static FlowSandbox sandbox;
    protected TestBridge.Topics topics;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startSandbox() {
        TestKafka.bootstrapServers();
        sandbox = FlowSandbox.start("127.0.0.1", 0, TestBridge.FLOW_SECRET);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void freshWorld() {
        sandbox.state().reset();
        topics = TestBridge.Topics.unique();
    }

    @AfterEach
    void closeWhatWasOpened() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }

    protected SandboxState flow() {
        return sandbox.state();
    }

    protected TestBridge startBridge() {
        return track(TestBridge.start(sandbox, topics));
    }

    protected TestBridge startBridge(java.util.Map<String, String> settings) {
        return track(TestBridge.start(sandbox, topics, settings));
    }

    /** A consumer reading {@code kafka.topic.*} setting {@code topicProperty} from the beginning. */
    protected TopicProbe probe(String topicProperty) {
        return track(new TopicProbe(TestKafka.bootstrapServers(), topics.get(topicProperty)));
    }

    protected <T extends AutoCloseable> T track(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    public static JsonNode value(ConsumerRecord<String, String> record) {
        try {
            return record.value() == null ? null : JSON.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + record.value(), e);
        }
    }

    protected static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
