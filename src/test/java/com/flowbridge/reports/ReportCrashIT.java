package com.flowbridge.reports;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.Reliability;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report half of fault 3 of the reliability suite: the packaged flow-bridge, as its own process at -Xmx256m, is
 * killed (SIGKILL) while it publishes a large registrants report, then started again. The report ends up on its topic
 * complete, every row exactly once in the run its completed manifest names, and the cut-off run is told apart by its
 * runId. {@code reliability.crash.report-rows} rows (100,000 both in CI and in bench/reliability/run.sh).
 */
class ReportCrashIT extends SandboxTest {

    private static final String SCENARIO = "crash-report";
    private static final String REPORT = "past-security:registrants";

    private final int rows = Reliability.count("crash.report-rows", 100_000);

    @TempDir
    Path workDir;

    @Test
    void a_bridge_killed_in_the_middle_of_a_large_report_publishes_it_complete_with_its_manifest_after_a_restart() throws Exception {
        flow().generateLargeReport("past-security", "registrants", rows);
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        try (RowTally tally = new RowTally(topics.get("kafka.topic.reports-registrants"), REPORT + ":")) {
            BridgeProcess bridge = start();
            tally.awaitTotal(rows / 50, Duration.ofSeconds(120));
            bridge.kill();
            long killedAt = System.currentTimeMillis();
            manifests.newRecordsWithin(Duration.ofSeconds(1)); // whatever the killed process had written
            assertThat(completedManifests(manifests.records())).as("the report was cut off by the kill").isEmpty();

            start();
            manifests.await(seen -> !completedManifests(seen).isEmpty(), Duration.ofSeconds(180), "the completed manifest of " + REPORT);
            JsonNode completed = completedManifests(manifests.records()).get(0);
            String completeRun = completed.path("runId").asText();
            tally.awaitRun(completeRun, rows, Duration.ofSeconds(60));
            manifests.newRecordsWithin(Duration.ofSeconds(2));
            List<JsonNode> runs = ReportManifests.of(manifests.records(), REPORT);
            long rowsOfCutRun = tally.runs().stream().filter(run -> !run.equals(completeRun)).mapToLong(tally::rows).sum();

            Reliability.figure(SCENARIO, String.format("%,d-row registrants report, flow-bridge (-Xmx256m) killed (kill -9) after "
                + "%,d of its rows were on the topic, and restarted; the report completed %.1f s after the kill", rows, rowsOfCutRun,
                (manifests.records().stream().filter(r -> r.key().equals(REPORT)).mapToLong(ConsumerRecord::timestamp).max().orElseThrow()
                    - killedAt) / 1000.0));
            Reliability.figure(SCENARIO, String.format("completed manifest: rows %d, attempt %d; its run: %,d rows, %,d distinct row "
                + "numbers; runs on the topic: %d (the cut-off one told apart by its runId); manifests of the report: %s", completed.path("rows").asLong(),
                completed.path("attempt").asInt(), tally.rows(completeRun), tally.distinctRows(completeRun), tally.runs().size(),
                runs.stream().map(m -> m.path("completed").asBoolean() ? "completed" : "started").toList()));

            assertThat(completed.path("rows").asLong()).isEqualTo(rows);
            assertThat(completed.path("attempt").asInt()).as("the second attempt at the report").isEqualTo(2);
            assertThat(tally.rows(completeRun)).as("rows of the completed run").isEqualTo(rows);
            assertThat(tally.distinctRows(completeRun)).as("distinct row numbers of the completed run").isEqualTo(rows);
            assertThat(tally.runs()).hasSize(2).contains(completeRun);
            assertThat(runs).extracting(m -> m.path("completed").asBoolean()).containsExactly(false, false, true);
            assertThat(completedManifests(manifests.records())).as("the report is published once complete").hasSize(1);
            // The session's other reports, and the other session's, each completed once: none published again.
            assertThat(manifests.records().stream().filter(r -> SandboxTest.value(r).path("completed").asBoolean())
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting())).values()).as("completed manifests per report")
                .hasSizeGreaterThan(1).containsOnly(1L);
        }
    }

    private BridgeProcess start() {
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, "report-crash", workDir.resolve("locks"));
        environment.put("FLOW_REPORTS_POLL_INTERVAL", "1s");
        environment.put("FLOW_REPORTS_INITIAL_DELAY", "0s");
        return track(BridgeProcess.start("flow-bridge", workDir.resolve("bridge"), environment, List.of("-Xmx256m")));
    }

    private static List<JsonNode> completedManifests(List<ConsumerRecord<String, String>> manifests) {
        return ReportManifests.of(manifests, REPORT).stream().filter(m -> m.path("completed").asBoolean()).toList();
    }
}
