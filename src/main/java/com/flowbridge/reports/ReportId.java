package com.flowbridge.reports;

/**
 * One report of one session: {@code <sessionToken>:<report>[:<surveyId>]}, the key of its manifests; its rows
 * are keyed {@code <that>:<rowNumber>} (see {@link ReportRun#rowKeyPrefix()}).
 *
 * @param surveyId the survey, for survey responses; null for the other kinds
 */
public record ReportId(String sessionToken, ReportKind kind, String surveyId) {

    public ReportId {
        if (kind.perSurvey() != (surveyId != null)) {
            throw new IllegalArgumentException("A survey id goes with survey responses, and only with them");
        }
    }

    public static ReportId of(String sessionToken, ReportKind kind) {
        return new ReportId(sessionToken, kind, null);
    }

    public static ReportId survey(String sessionToken, String surveyId) {
        return new ReportId(sessionToken, ReportKind.SURVEY_RESPONSES, surveyId);
    }

    public String key() {
        String key = sessionToken + ":" + kind.value();
        return surveyId == null ? key : key + ":" + surveyId;
    }

    @Override
    public String toString() {
        return key();
    }
}
