package com.flowbridge.capture;

import java.time.Instant;

/**
 * One session whose registrants are read this cycle, and what came of it.
 *
 * @param token        the session token
 * @param knownSession true when flow.events still has the session; false for a session that is gone from
 *                     flow.events but still has registrants on flow.registrants (a 404 from FLOW then confirms it is gone)
 * @param outcome      what reading it gave
 * @param registrants  FLOW's answer, once read ({@link Outcome#READ})
 * @param fingerprint  the fingerprint of FLOW's answer ({@link Outcome#READ}, {@link Outcome#UNCHANGED})
 * @param failure      why the registrants could not be read this cycle ({@link Outcome#FAILED})
 * @param readAt       when FLOW answered
 */
public record RegistrantCheck(String token, boolean knownSession, Outcome outcome, SessionRegistrants registrants,
                              String fingerprint, String failure, Instant readAt) {

    public enum Outcome {
        /** Not read yet. */
        PENDING,
        /** FLOW answered: compare. */
        READ,
        /** FLOW answered exactly as last time, and what was remembered since has not changed: nothing to compare. */
        UNCHANGED,
        /** FLOW answered 404 for a session flow.events no longer has: its registrants are deleted. */
        GONE,
        /** FLOW could not be read (after its retries): skipped this cycle. */
        FAILED
    }

    static RegistrantCheck known(String token) {
        return new RegistrantCheck(token, true, Outcome.PENDING, null, null, null, null);
    }

    static RegistrantCheck unknown(String token) {
        return new RegistrantCheck(token, false, Outcome.PENDING, null, null, null, null);
    }

    RegistrantCheck read(SessionRegistrants answer, String answerFingerprint) {
        return new RegistrantCheck(token, knownSession, Outcome.READ, answer, answerFingerprint, null, Instant.now());
    }

    RegistrantCheck unchanged(String answerFingerprint) {
        return new RegistrantCheck(token, knownSession, Outcome.UNCHANGED, null, answerFingerprint, null, Instant.now());
    }

    RegistrantCheck confirmedGone() {
        return new RegistrantCheck(token, knownSession, Outcome.GONE, null, null, null, Instant.now());
    }

    RegistrantCheck failed(String reason) {
        return new RegistrantCheck(token, knownSession, Outcome.FAILED, null, null, reason, null);
    }
}
