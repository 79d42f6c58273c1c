package com.flowbridge.operations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.sandbox.FaultRule;
import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.OpsFiles;
import com.flowbridge.testing.PromQlMetricNames;
import com.flowbridge.testing.PrometheusServer;
import com.flowbridge.testing.Reliability;
import com.flowbridge.testing.SandboxTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ops/prometheus/alerts.yaml and ops/grafana/flow-bridge.json against the packaged jar (its own process, the FLOW
 * sandbox over HTTP, the test broker) and a real Prometheus server (Debian's prometheus package; the test fails,
 * saying how to install it, when it is missing) scraping the jar's management port: Prometheus evaluates every rule
 * and every dashboard query without error, fires the FLOW alert while FLOW is down and resolves it when FLOW is back,
 * and has scraped every metric the rules and the dashboard read. One jar and one Prometheus for all of it: Kafka's
 * per-topic client metrics take up to a minute to appear, which the outage part of the test uses.
 */
class AlertingIT extends SandboxTest {

    private static final Duration START = Duration.ofSeconds(90);
    /**
     * Kafka's client metrics per topic (kafka_producer_topic_record_send_total) reach the registry at its next
     * refresh after a topic's first record: within a minute.
     */
    private static final Duration METRICS_COMPLETE = Duration.ofSeconds(120);
    private static final String FLOW_ALERT = "FlowBridgeFlowUnreachable";

    @TempDir
    Path workDir;

    @Test
    void a_real_prometheus_scraping_the_jar_fires_the_flow_alert_while_flow_is_down_and_finds_every_metric_rules_and_panels_read()
        throws Exception {
        // One FLOW answer fails once and is retried: flowbridge_flow_retries_total exists from a jar's first retry on.
        flow().addFault(FaultRule.fromJson(json("{\"path\":\"/api/v1/events/sessions\",\"status\":503,\"times\":1}")));
        Map<String, String> environment = environment();
        BridgeProcess bridge = track(BridgeProcess.start("flow-bridge", workDir.resolve("bridge"), environment));
        long bridgeStarted = System.nanoTime();
        bridge.awaitLine("sessions cycle:", START);
        Path prometheusDir = Path.of("target", "alerting-it", UUID.randomUUID().toString());
        // The rules as shipped, with each `for` cut to 5 s so the test need not wait minutes; promtool's tests
        // (AlertRulesTest) check the shipped durations.
        Path rules = Files.createDirectories(prometheusDir).resolve("alerts.yaml");
        Files.writeString(rules, OpsFiles.read(OpsFiles.ALERT_RULES).replaceAll("(?m)^(\\s+for:) \\S+$", "$1 5s"));
        try (PrometheusServer prometheus = PrometheusServer.start(prometheusDir, "127.0.0.1:" + environment.get("MANAGEMENT_PORT"),
            rules)) {
            Reliability.await(prometheus::targetsUp, Duration.ofSeconds(30), "Prometheus scraping the jar");
            Reliability.await(() -> value(prometheus, "flowbridge_flow_up") == 1.0, Duration.ofSeconds(30), "flowbridge_flow_up 1");
            Reliability.await(() -> everyRuleEvaluated(prometheus), Duration.ofSeconds(30), "every rule evaluated");
            for (JsonNode group : prometheus.rules()) {
                for (JsonNode rule : group.path("rules")) {
                    assertThat(rule.path("health").asText()).as(rule.path("name").asText() + ": " + rule.path("lastError"))
                        .isEqualTo("ok");
                }
            }
            OpsFiles.dashboardQueries().forEach((query, expr) -> {
                if (!query.startsWith("variable ")) {
                    JsonNode answer = prometheus.query(expr.replace("$job", "flow-bridge").replace("$instance", ".*"));
                    assertThat(answer.path("status").asText()).as(query + ": " + answer.path("error").asText()).isEqualTo("success");
                }
            });
            // Before Prometheus's first scrape of the jar, absent(...) rules are pending, and with `for` cut to 5 s a slow
            // first scrape (a loaded machine) fires them: what must hold is that none stays firing once it has scraped.
            Reliability.await(() -> value(prometheus, "flowbridge_poller_leader") == 1.0, Duration.ofSeconds(30),
                "flowbridge_poller_leader 1");
            Reliability.await(() -> prometheus.alerts().isEmpty(), Duration.ofSeconds(30), "no alert while FLOW and Kafka are up");
            assertThat(prometheus.alerts()).as("alerts while FLOW and Kafka are up").isEmpty();

            // FLOW stops listening: connections refused.
            sandbox.stopListening();
            Duration firing = Reliability.await(() -> prometheus.alertState(FLOW_ALERT).equals("firing"), Duration.ofSeconds(60),
                FLOW_ALERT + " firing");
            JsonNode alert = alert(prometheus, FLOW_ALERT);
            assertThat(alert.path("labels").path("instance").asText()).isEqualTo("127.0.0.1:" + environment.get("MANAGEMENT_PORT"));
            assertThat(alert.path("labels").path("job").asText()).isEqualTo("flow-bridge");
            assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
            assertThat(alert.path("annotations").path("summary").asText()).startsWith("FLOW does not answer flow-bridge on 127.0.0.1:");
            assertThat(prometheus.alertState("FlowBridgeKafkaUnreachable")).as("Kafka is up").isEqualTo("inactive");

            sandbox.resumeListening();
            Duration resolved = Reliability.await(() -> prometheus.alertState(FLOW_ALERT).equals("inactive"), Duration.ofSeconds(60),
                FLOW_ALERT + " resolved");
            System.out.printf("[AlertingIT] %s firing %.1f s after FLOW stopped listening (for: 5 s, scrape and evaluation "
                + "every 1 s); resolved %.1f s after FLOW was back; Prometheus %s%n", FLOW_ALERT, Reliability.seconds(firing),
                Reliability.seconds(resolved), prometheus.buildVersion());

            // Every metric the shipped rules and dashboard read, among those Prometheus scraped from the jar.
            Map<String, Set<String>> readBy = metricsReadByRulesAndPanels();
            Set<String> missing = new TreeSet<>(readBy.keySet());
            while (!missing.isEmpty() && System.nanoTime() - bridgeStarted < METRICS_COMPLETE.toNanos()) {
                missing.removeAll(prometheus.metricNames());
                Reliability.sleepUntil(System.nanoTime() + Duration.ofSeconds(2).toNanos());
            }
            Map<String, Set<String>> missingReaders = new LinkedHashMap<>();
            missing.forEach(name -> missingReaders.put(name, readBy.get(name)));
            assertThat(missingReaders).as("metrics read by the alert rules or the dashboard that the jar does not export").isEmpty();
            assertThat(bridge.metrics().toString()).as("the jar's own scrape").contains("flowbridge_flow_up ", "flowbridge_kafka_up ");
        } finally {
            sandbox.resumeListening();
        }
    }

    /** Each metric name the alert rules and the dashboard's queries read, with who reads it. */
    private static Map<String, Set<String>> metricsReadByRulesAndPanels() {
        Map<String, Set<String>> readBy = new TreeMap<>();
        OpsFiles.alertExpressions().forEach((alert, expr) -> PromQlMetricNames.of(expr)
            .forEach(name -> readBy.computeIfAbsent(name, n -> new TreeSet<>()).add("alert " + alert)));
        OpsFiles.dashboardQueries().forEach((query, expr) -> PromQlMetricNames.of(expr)
            .forEach(name -> readBy.computeIfAbsent(name, n -> new TreeSet<>()).add("panel " + query)));
        assertThat(readBy).containsKeys("flowbridge_flow_up", "flowbridge_kafka_up", "flowbridge_dead_letters_total",
            "flowbridge_command_latency_seconds_bucket", "camel_exchanges_failures_handled_total",
            "kafka_consumer_fetch_manager_records_lag_max", "kafka_producer_topic_record_send_total", "flowbridge_poller_leader");
        return readBy;
    }

    private Map<String, String> environment() {
        return BridgeProcess.environment(sandbox, topics, "alerting", workDir.resolve("locks"));
    }

    private static boolean everyRuleEvaluated(PrometheusServer prometheus) {
        JsonNode groups = prometheus.rules();
        if (groups.isEmpty()) {
            return false;
        }
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.path("health").asText().equals("unknown")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The value of the first series an instant query returns; NaN when it returns none. */
    private static double value(PrometheusServer prometheus, String query) {
        JsonNode first = prometheus.query(query).path("data").path("result").path(0);
        return first.isMissingNode() ? Double.NaN : Double.parseDouble(first.path("value").path(1).asText());
    }

    private static JsonNode alert(PrometheusServer prometheus, String name) {
        for (JsonNode alert : prometheus.alerts()) {
            if (alert.path("labels").path("alertname").asText().equals(name)) {
                return alert;
            }
        }
        throw new AssertionError("No alert " + name + " in " + prometheus.alerts());
    }
}
