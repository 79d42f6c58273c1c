package com.flowbridge.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    void surveysListed(String sessionToken, List<String> surveyIds, Instant at) {
        var fact = mapper.createObjectNode().put("listedAt", at.toString());
        surveyIds.forEach(fact.putArray("surveyIds")::add);
        facts.put(surveysKey(sessionToken), write(fact));
    }

    /** Makes the next cycle list the session's surveys again. */
    void forgetSurveys(String sessionToken) {
        facts.put(surveysKey(sessionToken), null);
    }

    /** When the reports of this kind of the session were last asked for again, if ever. */
    Optional<Instant> requested(String sessionToken, ReportKind kind) {
        return facts.get(requestKey(sessionToken, kind)).map(json -> Instant.parse(read(json).path("requestedAt").asText()));
    }

    void requested(String sessionToken, ReportKind kind, Instant at) {
        facts.put(requestKey(sessionToken, kind), write(mapper.createObjectNode().put("requestedAt", at.toString())));
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
