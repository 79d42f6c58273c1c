package com.flowbridge.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Compares what FLOW has now with what was last published, one scope at a time, and says what changed:
 * new ids are creations (or snapshot reads, the first time flow-bridge looks), differing documents are
 * updates carrying both sides, and ids no longer there are deletions. Equal documents produce nothing.
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
     */
    public List<Change> diff(String entity, String scope, Map<String, byte[]> published, Map<String, ObjectNode> current,
                             boolean snapshot) {
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> entry : current.entrySet()) {
            Change change = compare(entity, scope, entry.getKey(), published.get(entry.getKey()), entry.getValue(), snapshot);
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

    /** The change from {@code published} (null if never published) to {@code now}, or null if there is none. */
    public Change compare(String entity, String scope, String id, byte[] published, ObjectNode now, boolean snapshot) {
        if (published == null) {
            return new Change(entity, snapshot ? Op.READ : Op.CREATE, scope, id, null, now);
        }
        if (Arrays.equals(published, canonical.bytes(now))) {
            return null;
        }
        return new Change(entity, Op.UPDATE, scope, id, canonical.read(published), now);
    }
}
