package com.flowbridge.capture;

import java.util.Locale;

/** When to fetch a session's full event info ({@code flow.poll.event-info}). */
public enum EventInfoMode {
    /** Never: records carry what the sessions list carries. */
    NONE,
    /** For new and changed sessions only (the default): full records at one extra call per change. */
    CHANGED,
    /** For every session on every poll: also notices changes to fields the list does not carry, at one call per session. */
    EVERY;

    public static EventInfoMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("flow.poll.event-info must be none, changed or every, not '" + value + "'");
        }
    }
}
