package com.flowbridge.reports;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A request to publish a session's reports again: {@code {"sessionToken", "report"?}}, as a record on
 * {@code flow.report.requests} or the body of {@code POST /reports/{sessionToken}}.
 *
 * @param kind the one kind asked for (survey responses: every survey of the session); null for all of them
 */
public record ReportRequest(String sessionToken, ReportKind kind) {

    /** The kinds asked for. */
    public List<ReportKind> kinds() {
        return kind == null ? List.of(ReportKind.values()) : List.of(kind);
    }

    public String describe() {
        return sessionToken + " (" + (kind == null ? "every report" : kind.value()) + ")";
    }

    /**
     * Reads a request. Refusals ({@link IllegalArgumentException}) name the field at fault.
     *
     * @param pathToken the session token of the URL the request was posted to; null for a Kafka record
     */
    public static ReportRequest parse(ObjectMapper mapper, String json, String pathToken) {
        JsonNode request;
        try {
            request = json == null || json.isBlank() ? mapper.createObjectNode() : mapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("the request is not JSON; send {\"sessionToken\": \"...\", \"report\": \"registrants\"}");
        }
        if (!request.isObject()) {
            throw new IllegalArgumentException("the request must be a JSON object like {\"sessionToken\": \"...\", \"report\": \"registrants\"}");
        }
        JsonNode token = request.get("sessionToken");
        if (token != null && !token.isNull() && (!token.isTextual() || token.asText().isBlank())) {
            throw new IllegalArgumentException("sessionToken must be a non-empty string");
        }
        String sessionToken = token == null || token.isNull() ? null : token.asText();
        if (pathToken != null) {
            if (sessionToken != null && !sessionToken.equals(pathToken)) {
                throw new IllegalArgumentException("sessionToken in the body (" + sessionToken + ") differs from the one in the path ("
                    + pathToken + ")");
            }
            sessionToken = pathToken;
        }
        if (sessionToken == null) {
            throw new IllegalArgumentException("sessionToken is required");
        }
        JsonNode report = request.get("report");
        if (report == null || report.isNull()) {
            return new ReportRequest(sessionToken, null);
        }
        if (!report.isTextual()) {
            throw new IllegalArgumentException("report must be one of " + ReportKind.names());
        }
        return new ReportRequest(sessionToken, ReportKind.parse(report.asText()));
    }

    /** The request as a record value. */
    public String toJson(ObjectMapper mapper) {
        var json = mapper.createObjectNode().put("sessionToken", sessionToken);
        if (kind != null) {
            json.put("report", kind.value());
        }
        return json.toString();
    }
}
