package com.flowbridge.operations;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.flowbridge.testing.OpsFiles;
import com.flowbridge.testing.PrometheusServer;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ops/prometheus/alerts.yaml, checked by Prometheus's own tool: valid rules, and each alert firing (after its
 * {@code for}, with its labels and text) and staying quiet exactly as ops/prometheus/alerts.test.yaml says.
 * promtool comes with Debian's prometheus package; without it this test fails, saying how to install it.
 */
class AlertRulesTest {

    @Test
    void the_alert_rules_are_valid_prometheus_rules() {
        PrometheusServer.Run check = PrometheusServer.promtool("check", "rules", OpsFiles.ALERT_RULES.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + OpsFiles.alertExpressions().size() + " rules found");
    }

    @Test
    void each_alert_fires_and_stays_quiet_as_its_promtool_tests_say() {
        PrometheusServer.Run test = PrometheusServer.promtool("test", "rules", OpsFiles.ALERT_RULE_TESTS.toString());
        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_alert_has_a_promtool_test_that_sees_it_fire_and_one_that_sees_it_quiet() {
        Map<String, Object> file = (Map<String, Object>) new Load(LoadSettings.builder().build())
            .loadFromString(OpsFiles.read(OpsFiles.ALERT_RULE_TESTS));
        Set<String> fired = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (Map<String, Object> test : (List<Map<String, Object>>) file.get("tests")) {
            for (Map<String, Object> check : (List<Map<String, Object>>) test.get("alert_rule_test")) {
                List<?> expected = (List<?>) check.get("exp_alerts");
                (expected == null || expected.isEmpty() ? quiet : fired).add(String.valueOf(check.get("alertname")));
            }
        }
        assertThat(fired).containsAll(OpsFiles.alertExpressions().keySet());
        assertThat(quiet).containsAll(OpsFiles.alertExpressions().keySet());
    }
}
