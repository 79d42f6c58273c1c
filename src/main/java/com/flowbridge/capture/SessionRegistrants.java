package com.flowbridge.capture;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One session's registrants as FLOW listed them, keyed by normalised email (trimmed, lower case: FLOW treats
 * {@code " Ada@Example.com"} and {@code "ada@example.com"} as one registrant, and so does flow-bridge). Each
 * keeps every field FLOW sent, plus {@code eventSessionToken}.
 *
 * <p>When one answer lists the same normalised email twice, one entry wins, whatever order FLOW listed them
 * in: the latest {@code registrationDate} (compared as text, which orders ISO-8601 dates), and on a tie the one
 * whose canonical JSON sorts last. Registrants without an email cannot be keyed and are left out (counted).
 *
 * @param byEmail      the registrants by normalised email
 * @param duplicates   entries left out because another one with the same normalised email won
 * @param withoutEmail entries left out because they have no email
 */
public record SessionRegistrants(Map<String, ObjectNode> byEmail, int duplicates, int withoutEmail) {

    public static final String SESSION_FIELD = "eventSessionToken";

    /** Reads FLOW's list for {@code sessionToken}; the list's objects are taken over (and given the session token). */
    public static SessionRegistrants of(String sessionToken, List<ObjectNode> listed, CanonicalJson canonical) {
        Map<String, ObjectNode> byEmail = new HashMap<>(Math.max(16, listed.size() * 4 / 3 + 1));
        int duplicates = 0;
        int withoutEmail = 0;
        for (ObjectNode registrant : listed) {
            String email = normaliseEmail(registrant.get("email"));
            if (email == null) {
                withoutEmail++;
                continue;
            }
            registrant.put(SESSION_FIELD, sessionToken);
            ObjectNode kept = byEmail.putIfAbsent(email, registrant);
            if (kept != null) {
                duplicates++;
                if (wins(registrant, kept, canonical)) {
                    byEmail.put(email, registrant);
                }
            }
        }
        return new SessionRegistrants(byEmail, duplicates, withoutEmail);
    }

    /** A registrant's identity: the email trimmed and in lower case; null when there is no usable email. */
    public static String normaliseEmail(JsonNode email) {
        if (email == null || !email.isTextual()) {
            return null;
        }
        String normalised = email.asText().strip().toLowerCase(Locale.ROOT);
        return normalised.isEmpty() ? null : normalised;
    }

    private static boolean wins(ObjectNode candidate, ObjectNode kept, CanonicalJson canonical) {
        int byDate = registrationDate(candidate).compareTo(registrationDate(kept));
        if (byDate != 0) {
            return byDate > 0;
        }
        return Arrays.compareUnsigned(canonical.bytes(candidate), canonical.bytes(kept)) > 0;
    }

    private static String registrationDate(ObjectNode registrant) {
        JsonNode date = registrant.get("registrationDate");
        return date == null || date.isNull() ? "" : date.asText();
    }
}
