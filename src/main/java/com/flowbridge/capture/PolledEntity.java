package com.flowbridge.capture;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What makes one polled entity what it is: the only code a new polled entity needs. Everything else (reading FLOW,
 * comparing with what was published, the change envelope, the transaction, remembering, the summary line) is the
 * capture pattern's ({@link EntityCapture}, {@code routes/flow-capture-template.camel.yaml}). See the README's
 * "Adding a polled entity".
 * <p>
 * FLOW lists an entity per <em>scope</em>: the empty scope for an entity FLOW lists whole (operators), a session token for
 * one it lists per session (registrants, surveys). Each scope's answer is compared, published and remembered on its own.
 */
public interface PolledEntity {

    /** The entity, singular, as CloudEvents types name it: {@code flow.<entity>.created}. */
    String entity();

    /**
     * The collection, plural: in snapshot facts ({@code snapshot:<collection>[:<scope>]}), the cycle's summary line and
     * fact ({@code cycle:<collection>}), and signals' {@code data-collections}.
     */
    String collection();

    /** Whether FLOW lists the entity per session (its keys are then {@code sessionToken:id}), rather than whole. */
    default boolean perSession() {
        return false;
    }

    /** The scopes to read this cycle; {@code known} is what flow-bridge last published about FLOW's sessions. */
    Scopes scopes(KnownSessions known, Instant now);

    /**
     * The scopes a signal's snapshot re-reads, given the cycle's {@code due} ones: for an entity FLOW lists per session,
     * those and every scope it has entities published in (what flow-bridge covers: a session never polled, past the
     * window before flow-bridge first looked, is not added); the one list otherwise.
     */
    default List<String> snapshotScopes(KnownSessions known, Scopes due) {
        if (!perSession()) {
            return List.of("");
        }
        Set<String> scopes = new LinkedHashSet<>(due.toRead());
        scopes.addAll(known.publishedScopes());
        return new ArrayList<>(scopes);
    }

    /**
     * Whether an item belongs to the session a snapshot's {@code filter.sessionToken} names: for an entity FLOW lists per
     * session, the items of that session's scope; for an entity not of a session (operators), every item.
     */
    default boolean inSession(String scope, String id, String sessionToken) {
        return !perSession() || scope.equals(sessionToken);
    }

    /** The item's identity within its scope, or null when it has none (it is left out, and counted). */
    String id(ObjectNode item);

    /** The document published for an item of {@code scope}: FLOW's item as it came, plus what keys it, if anything. */
    default ObjectNode document(String scope, ObjectNode item) {
        return item;
    }

    /** Which of two items with the same id is kept when FLOW lists an id twice (whatever order FLOW listed them in). */
    default ObjectNode keep(ObjectNode kept, ObjectNode candidate) {
        return kept;
    }

    /**
     * Whether FLOW answering 404 for the scope says that the scope is gone, and with it every entity it had: by default,
     * for an entity listed per session, a session flow.events no longer has.
     */
    default boolean goneWhenNotFound(String scope, KnownSessions known) {
        return perSession() && !known.sessions().containsKey(scope);
    }

    /**
     * Refuses an answer that cannot be right before anything of it is compared (operators: none at all, where some were
     * published); throws {@link com.flowbridge.flow.FlowAnswerException} saying why.
     */
    default void check(String scope, Map<String, ObjectNode> read, Map<String, byte[]> published) {
    }

    /**
     * The scopes of one cycle.
     *
     * @param toRead         the scopes read this cycle
     * @param noun           what a scope is, in the summary line ("list", "session")
     * @param leftOut        how many known scopes are left out this cycle
     * @param leftOutBecause why, in the summary line (e.g. "past the window")
     * @param waitingFor     what the cycle waits for before it reads anything, or null
     */
    record Scopes(List<String> toRead, String noun, int leftOut, String leftOutBecause, String waitingFor) {

        /** The one scope of an entity FLOW lists whole. */
        public static Scopes whole() {
            return new Scopes(List.of(""), "list", 0, "", null);
        }

        /**
         * The sessions of an entity FLOW lists per session: the known sessions {@code read} accepts, and those no longer
         * known that still have entities published (FLOW answering 404 for one of those says it is gone, see
         * {@link #goneWhenNotFound}). None before the first sessions cycle has completed.
         *
         * @param leftOutBecause why the sessions {@code read} refuses are left out, in the summary line
         */
        public static Scopes perSession(KnownSessions known, Predicate<ObjectNode> read, String leftOutBecause) {
            if (!known.complete()) {
                return new Scopes(List.of(), "session", 0, "", "the first sessions cycle to complete");
            }
            List<String> toRead = new ArrayList<>();
            int leftOut = 0;
            for (Map.Entry<String, ObjectNode> session : known.sessions().entrySet()) {
                if (read.test(session.getValue())) {
                    toRead.add(session.getKey());
                } else {
                    leftOut++;
                }
            }
            for (String token : known.publishedScopes()) {
                if (!known.sessions().containsKey(token)) {
                    toRead.add(token);
                }
            }
            return new Scopes(toRead, "session", leftOut, leftOutBecause, null);
        }
    }

    /** What flow-bridge last published about FLOW's sessions, for the entities FLOW lists per session. */
    interface KnownSessions {

        /** Every session token on the sessions topic, with its last published document. */
        Map<String, ObjectNode> sessions();

        /** The scopes that still have entities of this entity published. */
        Set<String> publishedScopes();

        /** Whether the first sessions cycle has completed (before, flow-bridge does not know FLOW's sessions yet). */
        boolean complete();
    }
}
