package com.flowbridge.capture;

import java.time.Instant;

/**
 * One session whose registrants are read this cycle, and what came of it.
 *
 * @param token        the session token
 * @param knownSession true when flow.events still has the session; false for a session that is gone from
 *                     flow.events but still has registrants on flow.registrants (a 404 from FLOW then confirms it is gone)
 * @param registrants  FLOW's answer, once read
 * @param gone         true once FLOW answered 404 for a session flow.events no longer has: its registrants are deleted
 * @param failure      why the registrants could not be read this cycle, or null
 * @param readAt       when FLOW answered
 */
public record RegistrantCheck(String token, boolean knownSession, SessionRegistrants registrants, boolean gone,
                              String failure, Instant readAt) {

    static RegistrantCheck known(String token) {
        return new RegistrantCheck(token, true, null, false, null, null);
    }

    static RegistrantCheck unknown(String token) {
        return new RegistrantCheck(token, false, null, false, null, null);
    }

    RegistrantCheck read(SessionRegistrants answer) {
        return new RegistrantCheck(token, knownSession, answer, false, null, Instant.now());
    }

    RegistrantCheck confirmedGone() {
        return new RegistrantCheck(token, knownSession, null, true, null, Instant.now());
    }

    RegistrantCheck failed(String reason) {
        return new RegistrantCheck(token, knownSession, null, false, reason, null);
    }
}
