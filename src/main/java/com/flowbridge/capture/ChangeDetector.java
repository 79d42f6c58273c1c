package com.flowbridge.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Compares what FLOW has now with what was last published, one scope at a time, and says what changed:
 * new ids are creations (or snapshot reads, the first time flow-bridge looks), differing documents are
 * updates carrying both sides, and ids no longer there are deletions. Equal documents produce nothing, except during a
 * snapshot a signal asked for, where they are reads again ({@code r}, the document as it is).
 */
public final class ChangeDetector {

    private final CanonicalJson canonical;

    public ChangeDetector(CanonicalJson canonical) {
        this.canonical = canonical;
    }

    /**
     * @param published what was last published in this scope, by id
     * @param current   what FLOW has now in this scope, by id
     * @param snapshot  true while flow-bridge takes its first look, so that new ids are reads, not creations
     * @param reread    the ids a signal's snapshot re-reads: published as reads even when unchanged
     */
    public List<Change> diff(String entity, String scope, Map<String, byte[]> published, Map<String, ObjectNode> current,
                             boolean snapshot, Predicate<String> reread) {
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> entry : current.entrySet()) {
            String id = entry.getKey();
            Change change = compare(entity, scope, id, published.get(id), entry.getValue(), snapshot, reread.test(id));
            if (change != null) {
                changes.add(change);
            }
        }
        for (Map.Entry<String, byte[]> entry : published.entrySet()) {
            if (!current.containsKey(entry.getKey())) {
                changes.add(new Change(entity, Op.DELETE, scope, entry.getKey(), canonical.read(entry.getValue()), null));
            }
        }
        return changes;
    }

    /**
     * The change from {@code published} (null if never published) to {@code now}, or null if there is none.
     *
     * @param reread whether a signal's snapshot re-reads the entity: unchanged, it is a read again
     */
    public Change compare(String entity, String scope, String id, byte[] published, ObjectNode now, boolean snapshot,
                          boolean reread) {
        if (published == null) {
            return new Change(entity, snapshot ? Op.READ : Op.CREATE, scope, id, null, now);
        }
        if (Arrays.equals(published, canonical.bytes(now))) {
            return reread ? new Change(entity, Op.READ, scope, id, null, now) : null;
        }
        return new Change(entity, Op.UPDATE, scope, id, canonical.read(published), now);
    }
}
