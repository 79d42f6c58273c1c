package com.flowbridge.sandbox;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the POSTs that create something in FLOW (registrations, events) per {@code X-Command-Id} header,
 * so that tests can prove the product sends at most one POST per command.
 */
final class CommandIds {

    static final String HEADER = "X-Command-Id";

    private final Map<String, LongAdder> postsById = new ConcurrentHashMap<>();

    void count(Call call) {
        boolean creates = call.path().equals("/registrants") || call.path().equals("/events");
        String commandId = call.header(HEADER);
        if (call.method().equals("POST") && creates && commandId != null) {
            postsById.computeIfAbsent(commandId, id -> new LongAdder()).increment();
        }
    }

    Map<String, Long> postsById() {
        Map<String, Long> snapshot = new TreeMap<>();
        postsById.forEach((id, count) -> snapshot.put(id, count.sum()));
        return snapshot;
    }

    void clear() {
        postsById.clear();
    }
}
