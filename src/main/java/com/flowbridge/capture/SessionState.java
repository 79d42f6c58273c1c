package com.flowbridge.capture;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a session stands, from FLOW's {@code accessStatus} (1 too early, 2 live, 3 past), and the CloudEvents
 * type of the lifecycle record that says a session moved there.
 */
public enum SessionState {
    SCHEDULED(1, "scheduled", "flow.session.rescheduled"),
    LIVE(2, "live", "flow.session.started"),
    ENDED(3, "ended", "flow.session.ended");

    private final int accessStatus;
    private final String word;
    private final String eventType;

    SessionState(int accessStatus, String word, String eventType) {
        this.accessStatus = accessStatus;
        this.word = word;
        this.eventType = eventType;
    }

    /** The state for an accessStatus, or null for a value FLOW does not document. */
    public static SessionState of(Integer accessStatus) {
        if (accessStatus != null) {
            for (SessionState state : values()) {
                if (state.accessStatus == accessStatus) {
                    return state;
                }
            }
        }
        return null;
    }

    /** A session's accessStatus (a number, or digits as text), or null when it has none. */
    public static Integer accessStatus(JsonNode session) {
        JsonNode status = session == null ? null : session.get("accessStatus");
        if (status != null && status.isIntegralNumber()) {
            return status.asInt();
        }
        if (status != null && status.isTextual() && status.asText().trim().matches("\\d{1,9}")) {
            return Integer.valueOf(status.asText().trim());
        }
        return null;
    }

    /** The {@code state} field of a lifecycle record. */
    public String word() {
        return word;
    }

    /** The CloudEvents type of a move into this state. */
    public String eventType() {
        return eventType;
    }
}
