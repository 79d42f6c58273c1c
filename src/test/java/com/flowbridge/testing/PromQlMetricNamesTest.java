package com.flowbridge.testing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlMetricNamesTest {

    @Test
    void a_plain_selector_is_its_metric() {
        assertThat(PromQlMetricNames.of("flowbridge_flow_up == 0")).containsExactly("flowbridge_flow_up");
    }

    @Test
    void functions_aggregations_labels_ranges_and_numbers_are_not_metrics() {
        assertThat(PromQlMetricNames.of("histogram_quantile(0.95, sum by (job, instance, kind, le) "
            + "(rate(flowbridge_command_latency_seconds_bucket{status!=\"failed\",kind=~\"a|b\"}[5m]))) > 10"))
            .containsExactly("flowbridge_command_latency_seconds_bucket");
    }

    @Test
    void every_metric_of_a_binary_expression_is_found_and_keywords_are_not() {
        assertThat(PromQlMetricNames.of("(sum by (routeId) (increase(a_total{routeId=~\"x\"}[15m]) + increase(b_total[15m])) "
            + "/ sum without (instance) (c_total offset 5m)) >= 0.5 and on (routeId) d_total > bool 2"))
            .containsExactly("a_total", "b_total", "c_total", "d_total");
    }

    @Test
    void grafana_variables_and_label_values_queries_are_understood() {
        assertThat(PromQlMetricNames.of("sum(rate(x_total{job=\"$job\",instance=~\"${instance}\"}[$__rate_interval]))"))
            .containsExactly("x_total");
        assertThat(PromQlMetricNames.of("label_values(flowbridge_flow_up{job=\"$job\"}, instance)"))
            .containsExactly("flowbridge_flow_up");
    }

    @Test
    void a_label_value_that_looks_like_a_metric_is_not_one() {
        assertThat(PromQlMetricNames.of("y_total{topic=\"flow.registration.dlq\", a=\"b{c}\"} > 0")).containsExactly("y_total");
    }
}
