package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the sandbox holds about one session: the event info object, its registrants, its surveys and
 * its CSV reports. Not thread-safe: {@link SessionStore} guards it.
 */
final class SessionEntry {

    static final int FUTURE = 1;
    static final int LIVE = 2;
    static final int PAST = 3;

    private static final String[] SUMMARY_FIELDS =
            {"token", "eventToken", "title", "date", "time", "timezone", "accessStatus", "published"};

    private ObjectNode info;
    private final Registrants registrants;
    private ArrayNode surveys = Json.array();
    private final Map<String, CsvReport> reports = new HashMap<>();

    SessionEntry(ObjectNode info, Registrants registrants) {
        this.info = info;
        this.registrants = registrants;
    }

    ObjectNode info() {
        return info;
    }

    void replaceInfo(ObjectNode info) {
        this.info = info;
    }

    Registrants registrants() {
        return registrants;
    }

    ArrayNode surveys() {
        return surveys;
    }

    void setSurveys(ArrayNode surveys) {
        this.surveys = surveys;
    }

    int accessStatus() {
        return info.path("accessStatus").asInt();
    }

    /** What the events list shows of a session: fewer fields than event info, plus simple analytics. */
    ObjectNode summary() {
        ObjectNode summary = Json.object();
        for (String field : SUMMARY_FIELDS) {
            if (info.has(field)) {
                summary.set(field, info.get(field).deepCopy());
            }
        }
        return summary.put("registrantCount", registrants.size()).put("attendeeCount", registrants.attendeeCount());
    }

    /** Gives the session a report; a survey report for a survey the session lacks adds that survey too. */
    void setReport(String kind, CsvReport report) {
        reports.put(ReportKinds.requireValid(kind), report);
        missingSurvey(kind).ifPresent(id -> surveys.addObject().put("id", id).put("title", "Survey " + id).putArray("questions"));
    }

    /** The report of a kind; 404 before the session has ended, as FLOW makes reports only for past sessions. */
    CsvReport report(String kind) {
        if (accessStatus() != PAST) {
            throw ApiError.notFound("Reports are available once the session has ended");
        }
        Optional<String> missingSurvey = missingSurvey(kind);
        if (missingSurvey.isPresent()) {
            throw ApiError.notFound("Survey not found: " + missingSurvey.get());
        }
        CsvReport report = reports.get(kind);
        if (report != null) {
            return report;
        }
        return kind.equals(ReportKinds.REGISTRANTS) ? RegistrantsCsv.of(registrants.list()) : ReportKinds.empty(kind);
    }

    /** FLOW's compiled report: every report of the session as CSV text in one JSON object. */
    ObjectNode compiledReport() {
        ObjectNode compiled = Json.object()
                .put("registrants", report(ReportKinds.REGISTRANTS).text())
                .put("operatorChat", report(ReportKinds.OPERATOR_CHAT).text())
                .put("attendeeChat", report(ReportKinds.ATTENDEE_CHAT).text());
        ObjectNode surveyReports = compiled.putObject("surveys");
        for (JsonNode survey : surveys) {
            String id = survey.path("id").asText();
            surveyReports.put(id, report(ReportKinds.survey(id)).text());
        }
        return compiled;
    }

    /** The survey id of a survey report kind whose survey the session does not list. */
    private Optional<String> missingSurvey(String kind) {
        return ReportKinds.surveyId(kind).filter(id -> !hasSurvey(id));
    }

    private boolean hasSurvey(String id) {
        for (JsonNode survey : surveys) {
            if (survey.path("id").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }
}
