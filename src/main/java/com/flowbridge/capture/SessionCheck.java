package com.flowbridge.capture;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A session that needs a closer look this cycle: new, changed, or missing from FLOW's list.
 *
 * @param token     the session token
 * @param listed    the session as FLOW's list shows it, null when the list no longer shows it
 * @param eventInfo FLOW's full event info for it, once fetched
 * @param gone      true once FLOW said it does not know the session any more (404): a confirmed deletion
 * @param failure   why it could not be looked at this cycle, or null
 * @param unchanged true for a session FLOW's list shows as last published, that a signal's snapshot reads again
 */
public record SessionCheck(String token, ObjectNode listed, boolean needsEventInfo, ObjectNode eventInfo, boolean gone,
                           String failure, boolean unchanged) {

    static SessionCheck listed(String token, ObjectNode listed, boolean needsEventInfo) {
        return new SessionCheck(token, listed, needsEventInfo, null, false, null, false);
    }

    static SessionCheck missing(String token) {
        return new SessionCheck(token, null, true, null, false, null, false);
    }

    /** A session the list shows unchanged, read again by a snapshot: published as read, as last published. */
    static SessionCheck unchanged(String token, ObjectNode listed) {
        return new SessionCheck(token, listed, false, null, false, null, true);
    }

    SessionCheck withEventInfo(ObjectNode info) {
        return new SessionCheck(token, listed, false, info, false, null, false);
    }

    SessionCheck confirmedGone() {
        return new SessionCheck(token, listed, false, null, true, null, false);
    }

    SessionCheck failed(String reason) {
        return new SessionCheck(token, listed, false, null, false, reason, false);
    }

    /** The session document to publish: the event info with the list's fields over it (the list is the fresher, lighter read). */
    ObjectNode document() {
        if (eventInfo == null) {
            return listed;
        }
        ObjectNode document = eventInfo.deepCopy();
        if (listed != null) {
            document.setAll(listed);
        }
        return document;
    }
}
