package com.flowbridge.sandbox;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The FLOW API requests received, newest last. Only the last {@value #CAPACITY} are kept whole, so a
 * long benchmark cannot fill the heap; the per-method-and-path counts cover every request since the last clear.
 */
final class RequestLog {

    static final int CAPACITY = 20_000;

    private record MethodAndPath(String method, String path) {
    }

    private final Deque<RecordedRequest> recent = new ArrayDeque<>();
    private final Map<MethodAndPath, LongAdder> counts = new ConcurrentHashMap<>();

    void record(RecordedRequest request) {
        counts.computeIfAbsent(new MethodAndPath(request.method(), request.path()), key -> new LongAdder()).increment();
        synchronized (recent) {
            if (recent.size() == CAPACITY) {
                recent.removeFirst();
            }
            recent.addLast(request);
        }
    }

    List<RecordedRequest> matching(RequestMatcher matcher) {
        synchronized (recent) {
            return recent.stream().filter(request -> matcher.matches(request.method(), request.path())).toList();
        }
    }

    long count(RequestMatcher matcher) {
        return counts.entrySet().stream()
                .filter(entry -> matcher.matches(entry.getKey().method(), entry.getKey().path()))
                .mapToLong(entry -> entry.getValue().sum())
                .sum();
    }

    void clear() {
        synchronized (recent) {
            recent.clear();
            counts.clear();
        }
    }
}
