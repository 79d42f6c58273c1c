package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Every session the sandbox knows, in the order they were added. One lock guards them all, so tests can
 * change state while the product polls; every method hands out copies, and a streamed report is an
 * immutable object that is written after the lock is released.
 */
final class SessionStore {

    private final Map<String, SessionEntry> sessions = new LinkedHashMap<>();
    private final LoginLinks loginLinks;

    SessionStore(LoginLinks loginLinks) {
        this.loginLinks = loginLinks;
    }

    synchronized void clear() {
        sessions.clear();
    }

    /** Runs several changes as one: a concurrent poll sees the state before or after them, never half of it. */
    synchronized void atomically(Runnable changes) {
        changes.run();
    }

    /** Adds a session, or replaces the info of an existing one and keeps its registrants, surveys and reports. */
    synchronized void upsert(ObjectNode info) {
        String token = Json.requiredText(info, "token");
        SessionEntry existing = sessions.get(token);
        if (existing != null) {
            existing.replaceInfo(info.deepCopy());
        } else {
            put(info, GeneratedRegistrants.none(loginLinks));
        }
    }

    /** Adds (or replaces whole) a session whose first {@code registrantCount} registrants are generated. */
    synchronized void putGenerated(ObjectNode info, int registrantCount) {
        put(info, new GeneratedRegistrants(info.get("token").asText(), registrantCount, loginLinks));
    }

    private void put(ObjectNode info, GeneratedRegistrants generated) {
        sessions.put(info.get("token").asText(), new SessionEntry(info.deepCopy(), new Registrants(loginLinks, generated)));
    }

    /** Merges fields into a session's info (a null removes one); the token cannot change. */
    synchronized ObjectNode patch(String token, ObjectNode fields) {
        if (fields.has("token") && !fields.get("token").asText().equals(token)) {
            throw ApiError.badRequest("token cannot be changed");
        }
        SessionEntry entry = entry(token);
        entry.replaceInfo(Json.mergePatch(entry.info().deepCopy(), fields));
        return entry.info().deepCopy();
    }

    synchronized void delete(String token) {
        if (sessions.remove(token) == null) {
            throw notFound();
        }
    }

    synchronized Optional<ObjectNode> info(String token) {
        return Optional.ofNullable(sessions.get(token)).map(entry -> entry.info().deepCopy());
    }

    synchronized List<ObjectNode> infos() {
        return sessions.values().stream().map(entry -> entry.info().deepCopy()).toList();
    }

    synchronized List<ObjectNode> summaries(IntPredicate accessStatus) {
        return sessions.values().stream()
                .filter(entry -> accessStatus.test(entry.accessStatus()))
                .map(SessionEntry::summary)
                .toList();
    }

    /**
     * Registers an attendee as FLOW does: 400 once the session has ended, and the existing registrant (with
     * the same login link) when the email is already registered.
     */
    synchronized ObjectNode register(String token, ObjectNode registrant) {
        SessionEntry entry = entry(token);
        if (entry.accessStatus() == SessionEntry.PAST) {
            throw ApiError.badRequest("Registration is closed for this session");
        }
        Registrants registrants = entry.registrants();
        return registrants.find(registrant.get("email").asText()).orElseGet(() -> registrants.put(registrant));
    }

    synchronized ObjectNode addRegistrant(String token, ObjectNode registrant) {
        return entry(token).registrants().put(registrant);
    }

    synchronized ObjectNode patchRegistrant(String token, String email, ObjectNode fields) {
        return entry(token).registrants().patch(email, fields);
    }

    synchronized void removeRegistrant(String token, String email) {
        entry(token).registrants().remove(email);
    }

    synchronized List<ObjectNode> registrants(String token) {
        return entry(token).registrants().list();
    }

    synchronized ArrayNode surveys(String token) {
        return entry(token).surveys().deepCopy();
    }

    synchronized void setSurveys(String token, ArrayNode surveys) {
        entry(token).setSurveys(surveys.deepCopy());
    }

    synchronized void setReport(String token, String kind, CsvReport report) {
        entry(token).setReport(kind, report);
    }

    synchronized CsvReport report(String token, String kind) {
        return entry(token).report(kind);
    }

    synchronized ObjectNode compiledReport(String token) {
        return entry(token).compiledReport();
    }

    private SessionEntry entry(String token) {
        SessionEntry entry = sessions.get(token);
        if (entry == null) {
            throw notFound();
        }
        return entry;
    }

    private static ApiError notFound() {
        return ApiError.notFound("Session not found");
    }
}
