package com.flowbridge.capture;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.util.TimeUtils;

/**
 * Registrants, polled per session ({@code routes/flow-registrants-to-kafka.camel.yaml}): the sessions watched are those
 * flow.events knows that are inside the poll window and due on its thinning schedule ({@link RegistrantPollWindow}), and those it no longer knows whose
 * registrants are still published (FLOW answering 404 for one of those confirms it is gone, and its registrants with it).
 * <p>
 * A registrant is its session token and email, trimmed and in lower case: FLOW changing the case of an email is an
 * update. When one answer lists the same email twice, one entry wins, whatever order FLOW listed them in: the latest
 * {@code registrationDate} (compared as text, which orders ISO-8601 dates), and on a tie the one whose canonical JSON
 * sorts last. Registrants without an email cannot be keyed: they are left out, and counted. Each document keeps every
 * field FLOW sent, plus {@code eventSessionToken}.
 */
public final class Registrants implements PolledEntity {

    public static final String SESSION_FIELD = "eventSessionToken";

    private final RegistrantPollWindow window;
    // When the previous cycle chose its sessions: past sessions thin out by their age between two cycles.
    private volatile Instant previousCycle;
    // Only to break ties between two entries of one email the same way whatever order FLOW listed them in.
    private final CanonicalJson canonical = new CanonicalJson(new ObjectMapper());

    /** @param pastWindow how long after a session ends its registrants are still polled, e.g. {@code 7d} */
    public Registrants(String pastWindow) {
        this.window = new RegistrantPollWindow(Duration.ofMillis(TimeUtils.toMilliSeconds(pastWindow)));
    }

    @Override
    public String entity() {
        return "registrant";
    }

    @Override
    public String collection() {
        return "registrants";
    }

    @Override
    public boolean perSession() {
        return true;
    }

    @Override
    public Scopes scopes(KnownSessions known, Instant now) {
        Instant previous = previousCycle;
        Scopes scopes = Scopes.perSession(known, session -> window.polled(session, now, previous), "past the window or not due");
        if (scopes.waitingFor() == null) {
            previousCycle = now;
        }
        return scopes;
    }

    @Override
    public String id(ObjectNode registrant) {
        return normaliseEmail(registrant.get("email"));
    }

    @Override
    public ObjectNode document(String sessionToken, ObjectNode registrant) {
        return registrant.put(SESSION_FIELD, sessionToken);
    }

    @Override
    public ObjectNode keep(ObjectNode kept, ObjectNode candidate) {
        int byDate = registrationDate(candidate).compareTo(registrationDate(kept));
        boolean candidateWins = byDate != 0 ? byDate > 0
            : Arrays.compareUnsigned(canonical.bytes(candidate), canonical.bytes(kept)) > 0;
        return candidateWins ? candidate : kept;
    }

    /** A registrant's identity: the email trimmed and in lower case; null when there is no usable email. */
    public static String normaliseEmail(JsonNode email) {
        if (email == null || !email.isTextual()) {
            return null;
        }
        String normalised = email.asText().strip().toLowerCase(Locale.ROOT);
        return normalised.isEmpty() ? null : normalised;
    }

    private static String registrationDate(ObjectNode registrant) {
        JsonNode date = registrant.get("registrationDate");
        return date == null || date.isNull() ? "" : date.asText();
    }
}
