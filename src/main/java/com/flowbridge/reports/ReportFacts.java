package com.flowbridge.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.kafka.StateStore;

/**
 * What flow-bridge keeps about reports in its state topic ({@link StateStore}), besides the manifests: each past
 * session's survey ids (once listed, a session's set of reports is known) and when its reports were last asked for
 * again (a report completed before that is published again).
 */
final class ReportFacts {

    private final StateStore facts;
    private final ObjectMapper mapper;

    ReportFacts(StateStore facts, ObjectMapper mapper) {
        this.facts = facts;
        this.mapper = mapper;
    }

    /** The session's survey ids, once listed. */
    Optional<List<String>> surveys(String sessionToken) {
        return facts.get(surveysKey(sessionToken)).map(json -> {
            List<String> ids = new ArrayList<>();
            read(json).path("surveyIds").forEach(id -> ids.add(id.asText()));
            return ids;
        });
    }

    /** The fact that the session's surveys are these (to write, then {@link #remember}). */
    Map<String, String> surveysListed(String sessionToken, List<String> surveyIds, Instant at) {
        var fact = mapper.createObjectNode().put("listedAt", at.toString());
        surveyIds.forEach(fact.putArray("surveyIds")::add);
        return Map.of(surveysKey(sessionToken), write(fact));
    }

    /** Forgets the session's surveys, so that the next cycle lists them again. */
    Map<String, String> forgetSurveys(String sessionToken) {
        return Collections.singletonMap(surveysKey(sessionToken), null);
    }

    /** When the reports of this kind of the session were last asked for again, if ever. */
    Optional<Instant> requested(String sessionToken, ReportKind kind) {
        return facts.get(requestKey(sessionToken, kind)).map(json -> Instant.parse(read(json).path("requestedAt").asText()));
    }

    /** The fact that the session's reports of this kind were asked for again at {@code at}. */
    Map<String, String> requested(String sessionToken, ReportKind kind, Instant at) {
        return Map.of(requestKey(sessionToken, kind), write(mapper.createObjectNode().put("requestedAt", at.toString())));
    }

    /** Notes facts once they are committed to the state topic. */
    void remember(Map<String, String> written) {
        facts.rememberAll(written);
    }

    String topic() {
        return facts.topic();
    }

    private static String surveysKey(String sessionToken) {
        return "reports:surveys:" + sessionToken;
    }

    private static String requestKey(String sessionToken, ReportKind kind) {
        return "reports:requested:" + sessionToken + ":" + kind.value();
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("A report fact in " + facts.topic() + " is not JSON", e);
        }
    }

    private String write(JsonNode fact) {
        try {
            return mapper.writeValueAsString(fact);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a report fact", e);
        }
    }
}
