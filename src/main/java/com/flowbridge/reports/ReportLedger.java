package com.flowbridge.reports;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.kafka.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which reports are on Kafka, complete: read back from the compacted manifests topic itself (no local disk), so a
 * restart, or another instance, knows what is done. A report whose latest manifest says {@code completed: false}
 * was cut off half-way (a crash, a failed publish) and is published again as a new run.
 */
public final class ReportLedger {

    private static final Logger LOG = LoggerFactory.getLogger(ReportLedger.class);

    /** What a manifest says about a run. */
    record Run(String runId, int attempt, boolean completed, long startedMs) {
    }

    private final String topic;
    private final TopicReader reader;
    private final ObjectMapper mapper;
    /** The latest run of each report (by manifest key), and its latest completed one. */
    private final ConcurrentMap<String, Run> latest = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Run> completed = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    public ReportLedger(String topic, TopicReader reader, ObjectMapper mapper) {
        this.topic = topic;
        this.reader = reader;
        this.mapper = mapper;
    }

    public synchronized void ensureLoaded() {
        if (loaded) {
            return;
        }
        long started = System.nanoTime();
        latest.clear();
        completed.clear();
        long records = reader.readAll(topic, this::apply);
        loaded = true;
        LOG.info("Read back {} manifests from {}: {} reports complete ({} ms)", records, topic, completed.size(),
            (System.nanoTime() - started) / 1_000_000);
    }

    /** The latest completed run of the report, if any. */
    Optional<Run> completed(ReportId report) {
        return Optional.ofNullable(completed.get(report.key()));
    }

    /** The attempt number of the report's latest run, 0 if it never started. */
    int lastAttempt(ReportId report) {
        Run run = latest.get(report.key());
        return run == null ? 0 : run.attempt();
    }

    /** Notes a run whose started manifest went out and which did not complete. */
    void cutOff(ReportRun run) {
        latest.merge(run.report().key(), run(run, false), ReportLedger::later);
    }

    /** Notes a run whose completed manifest is on Kafka. */
    void completed(ReportRun run) {
        Run done = run(run, true);
        latest.merge(run.report().key(), done, ReportLedger::later);
        completed.merge(run.report().key(), done, ReportLedger::later);
    }

    private static Run run(ReportRun run, boolean completed) {
        return new Run(run.runId(), run.attempt(), completed, run.started().toEpochMilli());
    }

    private static Run later(Run known, Run candidate) {
        return candidate.attempt() >= known.attempt() ? candidate : known;
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        try {
            JsonNode manifest = mapper.readTree(record.value());
            Run run = new Run(manifest.path("runId").asText(""), manifest.path("attempt").asInt(1),
                manifest.path("completed").asBoolean(false), manifest.path("started_ms").asLong(0));
            latest.put(record.key(), run);
            if (run.completed()) {
                completed.put(record.key(), run);
            }
        } catch (IOException e) {
            LOG.warn("Ignoring a record on {} at offset {} that is not a manifest", topic, record.offset());
        }
    }
}
