package com.flowbridge.reports;

import java.io.IOException;
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
 * A large report whose poller goes in the middle of it (the report half of fault 3 of the reliability suite): two
 * packaged jars, each at -Xmx256m in a folder of its own, the active poller killed (kill -9) or frozen (SIGSTOP, then
 * woken) while it publishes a {@code reliability.crash.report-rows}-row registrants report (100,000 in CI and in
 * bench/reliability/run.sh). A report run is one Kafka transaction: a consumer reading with read_committed gets the run
 * the standby completed, every row once with both its manifests, and nothing of the run that was cut off; a
 * read_uncommitted consumer also sees the cut-off rows, told apart by their runId.
 */
class ReportCrashIT extends SandboxTest {

    private static final String REPORT = "past-security:registrants";
    private static final String ACTIVE = "is now the active poller";

    private final int rows = Reliability.count("crash.report-rows", 100_000);

    @TempDir
    Path workDir;

    @Test
    void a_poller_killed_in_the_middle_of_a_large_report_leaves_read_committed_consumers_one_whole_run() throws Exception {
        cutOffMidReport("crash-report", BridgeProcess::kill, false);
    }

    @Test
    void a_poller_frozen_in_the_middle_of_a_large_report_writes_nothing_read_committed_consumers_see_when_it_wakes() throws Exception {
        cutOffMidReport("freeze-report", BridgeProcess::freeze, true);
    }

    private void cutOffMidReport(String scenario, Step cutOff, boolean wakeUp) throws Exception {
        flow().generateLargeReport("past-security", "registrants", rows);
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        String rowsTopic = topics.get("kafka.topic.reports-registrants");
        try (RowTally committed = new RowTally(rowsTopic, REPORT + ":");
             RowTally careless = new RowTally(rowsTopic, REPORT + ":", "read_uncommitted")) {
            List<BridgeProcess> instances = List.of(start("instance-a"), start("instance-b"));
            Reliability.await(() -> instances.stream().anyMatch(i -> i.consoleText().contains(ACTIVE)), Duration.ofSeconds(120),
                "an active poller");
            BridgeProcess first = instances.stream().filter(i -> i.consoleText().contains(ACTIVE)).findFirst().orElseThrow();
            BridgeProcess standby = instances.get(instances.get(0) == first ? 1 : 0);
            // Cut off as soon as rows of the run are on their way (seen read_uncommitted): rows stream into the run's
            // transaction without waiting for each batch, so a 100,000-row run takes only seconds.
            careless.awaitTotal(1, Duration.ofSeconds(120));
            cutOff.apply(first);
            long cutAt = System.currentTimeMillis();
            assertThat(completed(manifests.records())).as("the report was cut off").isEmpty();

            standby.awaitLine(ACTIVE, Duration.ofSeconds(60));
            manifests.await(seen -> !completed(seen).isEmpty(), Duration.ofSeconds(180), "the completed manifest of " + REPORT);
            JsonNode done = completed(manifests.records()).get(0);
            String completeRun = done.path("runId").asText();
            committed.awaitRun(completeRun, rows, Duration.ofSeconds(60));
            double fenced = 0;
            if (wakeUp) {
                first.thaw();
                first.awaitLine("stands by", Duration.ofSeconds(60));
                // Its report transaction, woken in the middle, fails as soon as it writes again (or commits).
                Reliability.await(() -> first.metrics().sum("flowbridge_poller_fenced_writes_total") > 0, Duration.ofSeconds(60),
                    "the woken poller's refused write");
                fenced = first.metrics().sum("flowbridge_poller_fenced_writes_total");
            }
            manifests.newRecordsWithin(Duration.ofSeconds(3));
            List<JsonNode> runs = ReportManifests.of(manifests.records(), REPORT);
            long cutRows = careless.runs().stream().filter(run -> !run.equals(completeRun)).mapToLong(careless::rows).sum();

            Reliability.figure(scenario, String.format("%,d-row registrants report, the active poller (-Xmx256m) %s after %,d of its "
                    + "rows were sent, a standby took over; the report completed %.1f s after%s", rows, wakeUp ? "frozen" : "killed",
                cutRows, (manifests.records().stream().filter(r -> r.key().equals(REPORT)).mapToLong(ConsumerRecord::timestamp)
                    .max().orElseThrow() - cutAt) / 1000.0, wakeUp ? "; woken, the old poller had " + (long) fenced + " writes refused" : ""));
            Reliability.figure(scenario, String.format("read_committed: runs %s, %,d rows in the completed run, %,d distinct, manifests "
                    + "%s; read_uncommitted: %,d rows of the cut-off run as well", committed.runs().size(), committed.rows(completeRun),
                committed.distinctRows(completeRun), runs.stream().map(m -> m.path("completed").asBoolean() ? "completed" : "started").toList(),
                cutRows));

            assertThat(done.path("rows").asLong()).isEqualTo(rows);
            assertThat(committed.runs()).as("runs a read_committed consumer sees").containsExactly(completeRun);
            assertThat(committed.rows(completeRun)).as("rows of the completed run").isEqualTo(rows);
            assertThat(committed.distinctRows(completeRun)).as("distinct row numbers of the completed run").isEqualTo(rows);
            assertThat(runs).extracting(m -> m.path("completed").asBoolean()).as("the report's manifests").containsExactly(false, true);
            assertThat(cutRows).as("rows of the cut-off run, which only read_uncommitted consumers see").isPositive();
            if (wakeUp) {
                assertThat(fenced).as("writes the woken poller tried, refused by Kafka").isPositive();
            }
            // The other reports each completed once: none published again.
            assertThat(manifests.records().stream().filter(r -> SandboxTest.value(r).path("completed").asBoolean())
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting())).values()).as("completed manifests per report")
                .hasSizeGreaterThan(1).containsOnly(1L);
        }
    }

    private BridgeProcess start(String instance) {
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, instance, workDir.resolve(instance + "-locks"));
        environment.put("FLOW_REPORTS_POLL_INTERVAL", "1s");
        environment.put("FLOW_REPORTS_INITIAL_DELAY", "0s");
        return track(BridgeProcess.start(instance, workDir.resolve(instance), environment, List.of("-Xmx256m")));
    }

    private static List<JsonNode> completed(List<ConsumerRecord<String, String>> manifests) {
        return ReportManifests.of(manifests, REPORT).stream().filter(m -> m.path("completed").asBoolean()).toList();
    }

    /** What happens to the poller. */
    private interface Step {
        void apply(BridgeProcess bridge) throws IOException, InterruptedException;
    }
}
