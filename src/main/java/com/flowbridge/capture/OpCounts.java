package com.flowbridge.capture;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicIntegerArray;

/** How many changes of each op a cycle published, for its summary line; safe to add to from several threads. */
final class OpCounts {

    private final AtomicIntegerArray counts = new AtomicIntegerArray(Op.values().length);

    void addAll(Collection<Change> changes) {
        changes.forEach(change -> counts.incrementAndGet(change.op().ordinal()));
    }

    int total() {
        int total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** E.g. {@code (r=0 c=10 u=1 d=1)}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("(");
        for (Op op : Op.values()) {
            text.append(text.length() > 1 ? " " : "").append(op.code()).append('=').append(counts.get(op.ordinal()));
        }
        return text.append(')').toString();
    }
}
