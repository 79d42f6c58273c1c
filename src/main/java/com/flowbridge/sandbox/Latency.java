package com.flowbridge.sandbox;

/** A fixed extra delay on matching FLOW API requests, e.g. "answer each POST /registrants after 20 ms". */
final class Latency {

    private record Rule(RequestMatcher matcher, long ms) {
    }

    private static final Rule NONE = new Rule(RequestMatcher.of(null, null), 0);

    private volatile Rule rule = NONE;

    /** Replaces the latency rule; {@code ms <= 0} removes it. Null method or path match every request. */
    void set(String method, String path, long ms) {
        rule = ms > 0 ? new Rule(RequestMatcher.of(method, path), ms) : NONE;
    }

    long millisFor(String method, String path) {
        Rule current = rule;
        return current.matcher().matches(method, path) ? current.ms() : 0;
    }
}
