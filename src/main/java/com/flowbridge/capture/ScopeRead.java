package com.flowbridge.capture;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One scope of a polled entity read this cycle, and what came of it.
 *
 * @param scope       the scope ("" for an entity FLOW lists whole, else a session token)
 * @param outcome     what reading it gave
 * @param items       FLOW's items by id, once read ({@link Outcome#READ})
 * @param duplicates  items left out because another with the same id was kept ({@link Outcome#READ})
 * @param withoutId   items left out because they have no id ({@link Outcome#READ})
 * @param fingerprint the fingerprint of FLOW's answer ({@link Outcome#READ}, {@link Outcome#UNCHANGED})
 * @param failure     why the scope could not be read this cycle ({@link Outcome#FAILED})
 * @param readAt      when FLOW answered
 * @param snapshot    whether a signal's snapshot re-reads the scope this cycle ({@link SnapshotWork})
 */
public record ScopeRead(String scope, Outcome outcome, Map<String, ObjectNode> items, int duplicates, int withoutId,
                        String fingerprint, String failure, Instant readAt, boolean snapshot) {

    public enum Outcome {
        /** Not read yet. */
        PENDING,
        /** FLOW answered: compare. */
        READ,
        /** FLOW answered exactly as last time, and what was remembered since has not changed: nothing to compare. */
        UNCHANGED,
        /** FLOW says the scope is gone (404 where the entity says that means gone): its entities are deleted. */
        GONE,
        /** FLOW could not be read (after its retries): the scope is skipped this cycle, nothing of it deleted. */
        FAILED
    }

    static ScopeRead pending(String scope, boolean snapshot) {
        return new ScopeRead(scope, Outcome.PENDING, null, 0, 0, null, null, null, snapshot);
    }

    /**
     * The scope read from FLOW's {@code listed} items: each by its id and as the entity's document; an id listed twice is
     * one item, the one the entity keeps; items without an id are left out. Both are counted.
     */
    ScopeRead read(PolledEntity entity, Iterable<ObjectNode> listed, String answerFingerprint) {
        Map<String, ObjectNode> byId = new HashMap<>();
        int duplicateItems = 0;
        int itemsWithoutId = 0;
        for (ObjectNode item : listed) {
            String id = entity.id(item);
            if (id == null) {
                itemsWithoutId++;
                continue;
            }
            ObjectNode document = entity.document(scope, item);
            ObjectNode kept = byId.putIfAbsent(id, document);
            if (kept != null) {
                duplicateItems++;
                byId.put(id, entity.keep(kept, document));
            }
        }
        return new ScopeRead(scope, Outcome.READ, byId, duplicateItems, itemsWithoutId, answerFingerprint, null, Instant.now(),
            snapshot);
    }

    ScopeRead unchanged(String answerFingerprint) {
        return new ScopeRead(scope, Outcome.UNCHANGED, null, 0, 0, answerFingerprint, null, Instant.now(), snapshot);
    }

    ScopeRead gone() {
        return new ScopeRead(scope, Outcome.GONE, Map.of(), 0, 0, null, null, Instant.now(), snapshot);
    }

    ScopeRead failed(String reason) {
        return new ScopeRead(scope, Outcome.FAILED, null, 0, 0, null, reason, null, snapshot);
    }

    /** A scope read from an answer the route assembled itself (sessions: lists and event info), compared as it is. */
    static ScopeRead decided(String scope, Instant readAt, boolean snapshot) {
        return new ScopeRead(scope, Outcome.READ, Map.of(), 0, 0, null, null, readAt, snapshot);
    }
}
