package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The sample FLOW account, read once from {@code classpath:sandbox/}: {@code sessions.json} (sessions with
 * their registrants, surveys and report files under {@code reports/}), {@code operators.json}, and
 * {@code session-defaults.json}, the fields a new session gets unless told otherwise.
 */
final class SampleData {

    private static final String DIR = "sandbox/";

    private final JsonNode sessions;
    private final JsonNode operators;
    private final ObjectNode sessionDefaults;
    private final Map<String, byte[]> reportFiles;

    private SampleData(JsonNode sessions, JsonNode operators, ObjectNode sessionDefaults, Map<String, byte[]> reportFiles) {
        this.sessions = sessions;
        this.operators = operators;
        this.sessionDefaults = sessionDefaults;
        this.reportFiles = reportFiles;
    }

    static SampleData load() {
        JsonNode sessions = Json.readResource(DIR + "sessions.json");
        Map<String, byte[]> reportFiles = new HashMap<>();
        sessions.forEach(sample -> sample.path("reports").forEach(
                file -> reportFiles.computeIfAbsent(file.asText(), name -> Json.resourceBytes(DIR + name))));
        return new SampleData(sessions, Json.readResource(DIR + "operators.json"),
                (ObjectNode) Json.readResource(DIR + "session-defaults.json"), reportFiles);
    }

    /** Replaces everything in the store with the sample sessions. */
    void applyTo(SessionStore store) {
        store.atomically(() -> {
            store.clear();
            sessions.forEach(sample -> applyTo(store, sample));
        });
    }

    private void applyTo(SessionStore store, JsonNode sample) {
        ObjectNode info = (ObjectNode) sample.get("session");
        String token = info.get("token").asText();
        store.upsert(info);
        sample.path("registrants").forEach(registrant -> store.addRegistrant(token, (ObjectNode) registrant));
        store.setSurveys(token, (ArrayNode) sample.path("surveys"));
        sample.path("reports").fields().forEachRemaining(report -> store.setReport(
                token, report.getKey(), new FixedCsvReport(reportFiles.get(report.getValue().asText()))));
    }

    ArrayNode operators() {
        return (ArrayNode) operators.deepCopy();
    }

    /** The creator object of a session, from the operator with this id; 400 if there is none. */
    ObjectNode creator(int operatorId) {
        for (JsonNode operator : operators) {
            if (operator.path("id").asInt() == operatorId) {
                return Json.object().put("id", operatorId).put("email", operator.path("email").asText())
                        .put("firstName", operator.path("firstName").asText())
                        .put("lastName", operator.path("lastName").asText());
            }
        }
        throw ApiError.badRequest("creatorID " + operatorId + " is not an operator of this account");
    }

    /** A full session object: the defaults, overridden by {@code fields}. */
    ObjectNode newSession(ObjectNode fields) {
        return Json.mergePatch(sessionDefaults.deepCopy(), fields);
    }
}
