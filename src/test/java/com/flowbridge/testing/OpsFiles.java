package com.flowbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** What the shipped operations files say: the alert rules of ops/prometheus, the queries of the ops/grafana dashboard. */
public final class OpsFiles {

    public static final Path ALERT_RULES = Path.of("ops", "prometheus", "alerts.yaml");
    public static final Path ALERT_RULE_TESTS = Path.of("ops", "prometheus", "alerts.test.yaml");
    public static final Path DASHBOARD = Path.of("ops", "grafana", "flow-bridge.json");

    private OpsFiles() {
    }

    /** Each alert's name and expression, in file order. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> alertExpressions() {
        Map<String, Object> file = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(read(ALERT_RULES));
        Map<String, String> alerts = new LinkedHashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                alerts.put(String.valueOf(rule.get("alert")), String.valueOf(rule.get("expr")));
            }
        }
        return alerts;
    }

    public static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(read(DASHBOARD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every query of the dashboard, "<panel title>: <expr>" to its expression: panel targets and template variables. */
    public static Map<String, String> dashboardQueries() {
        JsonNode dashboard = dashboard();
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                queries.put(panel.path("title").asText() + " " + target.path("refId").asText(), expr);
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                queries.put("variable " + variable.path("name").asText(), variable.path("query").path("query").asText());
            }
        }
        return queries;
    }

    /** Every panel, those inside collapsed rows too; rows themselves left out. */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
