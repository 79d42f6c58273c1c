package com.flowbridge.operations;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.testing.OpsFiles;
import com.flowbridge.testing.PromQlMetricNames;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ops/grafana/flow-bridge.json as Grafana imports it: one Prometheus data source chosen at import (the
 * {@code datasource} variable), every panel described and querying flow-bridge's metrics, none overlapping another.
 * That the metrics exist is checked against a running jar by AlertingIT.
 */
class GrafanaDashboardTest {

    private final JsonNode dashboard = OpsFiles.dashboard();

    @Test
    void every_panel_queries_prometheus_through_the_data_source_chosen_at_import() {
        assertThat(dashboard.path("templating").path("list").get(0).path("type").asText()).isEqualTo("datasource");
        List<JsonNode> panels = OpsFiles.panels(dashboard);
        assertThat(panels).hasSizeGreaterThan(10);
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(title).isNotBlank();
            assertThat(panel.path("description").asText()).as(title).isNotBlank();
            assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asText()).as(title).isNotBlank();
                assertThat(PromQlMetricNames.of(target.path("expr").asText())).as(title).isNotEmpty();
            }
        }
    }

    @Test
    void panels_have_unique_ids_and_do_not_overlap() {
        Set<Integer> ids = new HashSet<>();
        Set<String> cells = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("id " + panel.path("id")).isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(panel.path("title").asText()).isLessThanOrEqualTo(24);
            for (int x = grid.path("x").asInt(); x < grid.path("x").asInt() + grid.path("w").asInt(); x++) {
                for (int y = grid.path("y").asInt(); y < grid.path("y").asInt() + grid.path("h").asInt(); y++) {
                    assertThat(cells.add(x + "," + y)).as(panel.path("title").asText() + " overlaps at " + x + "," + y).isTrue();
                }
            }
        }
    }

    @Test
    void every_query_selects_the_chosen_job_and_instances() {
        OpsFiles.dashboardQueries().forEach((name, expr) -> {
            if (!name.startsWith("variable ")) {
                assertThat(expr).as(name).contains("job=\"$job\"").contains("instance=~\"$instance\"");
            }
        });
    }
}
