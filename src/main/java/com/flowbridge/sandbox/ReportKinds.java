package com.flowbridge.sandbox;

import java.util.Optional;

/**
 * The kinds of CSV report a session has: {@code registrants}, {@code attendeeChat}, {@code operatorChat} and
 * {@code survey:<surveyId>}; and what each holds when no report was given for it (a header row only).
 */
final class ReportKinds {

    static final String REGISTRANTS = "registrants";
    static final String ATTENDEE_CHAT = "attendeeChat";
    static final String OPERATOR_CHAT = "operatorChat";
    private static final String SURVEY_PREFIX = "survey:";

    private ReportKinds() {
    }

    static String survey(String surveyId) {
        return SURVEY_PREFIX + surveyId;
    }

    static Optional<String> surveyId(String kind) {
        return kind.startsWith(SURVEY_PREFIX) ? Optional.of(kind.substring(SURVEY_PREFIX.length())) : Optional.empty();
    }

    static String requireValid(String kind) {
        boolean valid = kind.equals(REGISTRANTS) || kind.equals(ATTENDEE_CHAT) || kind.equals(OPERATOR_CHAT)
                || surveyId(kind).filter(id -> !id.isEmpty()).isPresent();
        if (!valid) {
            throw ApiError.badRequest("Unknown report kind " + kind
                    + "; one of registrants, attendeeChat, operatorChat, survey:<surveyId>");
        }
        return kind;
    }

    /** A header-only report for a chat or survey kind nobody gave a report for. */
    static CsvReport empty(String kind) {
        return FixedCsvReport.of(switch (kind) {
            case ATTENDEE_CHAT -> "timestamp,name,email,message\r\n";
            case OPERATOR_CHAT -> "timestamp,operator,message\r\n";
            default -> "email,question,answer\r\n";
        });
    }
}
