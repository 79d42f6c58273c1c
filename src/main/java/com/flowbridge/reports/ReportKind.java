package com.flowbridge.reports;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The four kinds of report FLOW keeps for a past session, each with its name in records and requests, the
 * settings naming its topic ({@code kafka.topic.*}) and its per-kind CSV path ({@code flow.api.path.*}), and its
 * field in FLOW's compiled report.
 */
public enum ReportKind {

    REGISTRANTS("registrants", "reports-registrants", "report-registrants", "registrants"),
    ATTENDEE_CHAT("attendeeChat", "reports-attendee-chat", "report-attendee-chat", "attendeeChat"),
    OPERATOR_CHAT("operatorChat", "reports-operator-chat", "report-operator-chat", "operatorChat"),
    /** One report per survey of the session. */
    SURVEY_RESPONSES("surveyResponses", "reports-survey-responses", "report-survey", "surveys");

    private final String value;
    private final String topicName;
    private final String endpoint;
    private final String compiledField;

    ReportKind(String value, String topicName, String endpoint, String compiledField) {
        this.value = value;
        this.topicName = topicName;
        this.endpoint = endpoint;
        this.compiledField = compiledField;
    }

    /** The name records, manifests and requests use: registrants, attendeeChat, operatorChat, surveyResponses. */
    public String value() {
        return value;
    }

    /** The setting naming this kind's topic. */
    public String topicSetting() {
        return "kafka.topic." + topicName;
    }

    /** The FLOW call's name (logs, metrics); {@code flow.api.path.<endpoint>} is its path. */
    public String endpoint() {
        return endpoint;
    }

    public String pathSetting() {
        return "flow.api.path." + endpoint;
    }

    /** Where FLOW's compiled report holds this kind's CSV (for surveys: an object of survey id to CSV). */
    public String compiledField() {
        return compiledField;
    }

    public boolean perSurvey() {
        return this == SURVEY_RESPONSES;
    }

    /** The kind named {@code value}; a clear refusal naming the allowed values otherwise. */
    public static ReportKind parse(String value) {
        for (ReportKind kind : values()) {
            if (kind.value.equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("report must be one of " + names() + ", not '" + value + "'");
    }

    public static String names() {
        return Arrays.stream(values()).map(ReportKind::value).collect(Collectors.joining(", "));
    }
}
