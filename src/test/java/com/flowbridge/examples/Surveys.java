package com.flowbridge.examples;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.capture.PolledEntity;

/**
 * The README's "Adding a polled entity": each session's surveys, as FLOW lists them, to {@code flow.surveys} (key
 * {@code sessionToken:surveyId}). All the rest (reading FLOW, comparing, the envelope, the transaction, the summary
 * line) is the capture pattern's.
 */
public final class Surveys implements PolledEntity {

    @Override
    public String entity() {
        return "survey";
    }

    @Override
    public String collection() {
        return "surveys";
    }

    @Override
    public boolean perSession() {
        return true;
    }

    @Override
    public Scopes scopes(KnownSessions known, Instant now) {
        // Every session flow.events knows, past ones included: a survey's questions can change until it is answered.
        return Scopes.perSession(known, session -> true, "");
    }

    @Override
    public String id(ObjectNode survey) {
        JsonNode id = survey.get("id");
        return id == null || id.isNull() || id.asText().isBlank() ? null : id.asText();
    }

    @Override
    public ObjectNode document(String sessionToken, ObjectNode survey) {
        return survey.put("eventSessionToken", sessionToken);
    }
}
