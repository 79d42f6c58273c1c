package com.flowbridge.reports;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.testing.SandboxTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reading flow.reports.manifests as a consumer would: the manifests of one report, the completed ones. */
final class ReportManifests {

    private ReportManifests() {
    }

    /** The manifests of {@code report} (its key, {@code <sessionToken>:<report>[:<surveyId>]}), in order. */
    static List<JsonNode> of(List<ConsumerRecord<String, String>> manifests, String report) {
        return manifests.stream().filter(r -> r.key().equals(report)).map(SandboxTest::value).toList();
    }

    /** The latest completed manifest of each report. */
    static Map<String, JsonNode> completedByKey(List<ConsumerRecord<String, String>> manifests) {
        Map<String, JsonNode> completed = new HashMap<>();
        manifests.stream().filter(r -> SandboxTest.value(r).path("completed").asBoolean())
            .forEach(r -> completed.put(r.key(), SandboxTest.value(r)));
        return completed;
    }
}
