package com.flowbridge.capture;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What the signals' snapshots ask of one cycle of one polled entity: for each snapshot under way that covers the
 * entity, the scopes it still has to re-read (none of those already read in an earlier cycle, or by an earlier poller),
 * and which of their items it re-reads ({@code filter.sessionToken}). Each scope re-read is noted done in the same
 * transaction as its records ({@link #doneFacts}); see {@link Snapshots}.
 */
final class SnapshotWork {

    static final SnapshotWork NONE = new SnapshotWork(null, List.of());

    private final PolledEntity entity;
    private final List<Part> parts;

    /** One snapshot's share of the cycle: the scopes it covers, and those not re-read yet. */
    record Part(Snapshots.Request request, List<String> scopes, Set<String> toRead) {
    }

    SnapshotWork(PolledEntity entity, List<Part> parts) {
        this.entity = entity;
        this.parts = parts;
    }

    List<Part> parts() {
        return parts;
    }

    boolean isEmpty() {
        return parts.isEmpty();
    }

    /** The cycle's scopes with those the snapshots still have to re-read added (each scope once). */
    PolledEntity.Scopes addTo(PolledEntity.Scopes scopes) {
        if (parts.isEmpty()) {
            return scopes;
        }
        Set<String> toRead = new LinkedHashSet<>(scopes.toRead());
        parts.forEach(part -> toRead.addAll(part.toRead()));
        return new PolledEntity.Scopes(new ArrayList<>(toRead), scopes.noun(), scopes.leftOut(), scopes.leftOutBecause(),
            scopes.waitingFor());
    }

    /** Whether a snapshot re-reads {@code scope} this cycle. */
    boolean covers(String scope) {
        return parts.stream().anyMatch(part -> part.toRead().contains(scope));
    }

    /** The items of {@code scope} a snapshot re-reads: published as reads ({@code r}) even when unchanged. */
    Predicate<String> rereads(String scope) {
        List<Snapshots.Request> covering = parts.stream().filter(part -> part.toRead().contains(scope)).map(Part::request).toList();
        if (covering.isEmpty()) {
            return id -> false;
        }
        return id -> covering.stream().anyMatch(request -> request.sessionToken() == null
            || entity.inSession(scope, id, request.sessionToken()));
    }

    /**
     * The facts noting {@code scope} re-read for each snapshot that covers it, with how many of its records it published:
     * written in the scope's transaction, so that a scope is re-read once, whoever polls next.
     */
    Map<String, String> doneFacts(String scope, List<Change> changes) {
        Map<String, String> facts = new TreeMap<>();
        for (Part part : parts) {
            if (part.toRead().contains(scope)) {
                Predicate<String> inFilter = id -> part.request().sessionToken() == null
                    || entity.inSession(scope, id, part.request().sessionToken());
                long records = changes.stream().filter(change -> inFilter.test(change.id())).count();
                facts.put(Snapshots.scopeKey(part.request().signalId(), entity.collection(), scope), "{\"records\":" + records + "}");
            }
        }
        return facts;
    }
}
