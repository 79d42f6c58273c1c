package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;

/**
 * Bulk sessions for benchmarks: gen-00001, gen-00002, ..., each with generated registrants. Generating the
 * same number again replaces the same sessions, so a benchmark can rely on the tokens.
 */
final class GeneratedSessions {

    static final int MAX_SESSIONS = 99_999;
    private static final LocalDate FIRST_DATE = LocalDate.parse("2026-01-01");

    private GeneratedSessions() {
    }

    /**
     * Adds {@code count} sessions with {@code registrantsPerSession} registrants each, all with the given
     * accessStatus, or cycling through future, live, past when it is null.
     */
    static void addTo(SessionStore store, SampleData sample, int count, int registrantsPerSession, Integer accessStatus) {
        if (count < 0 || count > MAX_SESSIONS || registrantsPerSession < 0) {
            throw ApiError.badRequest("sessions must be 0.." + MAX_SESSIONS + " and registrantsPerSession 0 or more");
        }
        if (accessStatus != null && (accessStatus < SessionEntry.FUTURE || accessStatus > SessionEntry.PAST)) {
            throw ApiError.badRequest("accessStatus must be 1, 2 or 3");
        }
        store.atomically(() -> {
            for (int number = 1; number <= count; number++) {
                int status = accessStatus != null ? accessStatus : SessionEntry.FUTURE + (number - 1) % 3;
                store.putGenerated(session(sample, number, status), registrantsPerSession);
            }
        });
    }

    private static ObjectNode session(SampleData sample, int number, int accessStatus) {
        String id = String.format("%05d", number);
        return sample.newSession(Json.object()
                .put("token", "gen-" + id)
                .put("eventToken", "gen-event-" + id)
                .put("title", "Generated webinar " + id)
                .put("date", FIRST_DATE.plusDays(number % 365).toString())
                .put("accessStatus", accessStatus));
    }
}
