package com.flowbridge.redrive;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a redrive did, counted: dead letters read, sent again (or, in a dry run, that would be), left and why. Its
 * {@link #line} is the one line printed at the end.
 */
public final class RedriveSummary {

    private final String from;
    private final String to;
    private final boolean dryRun;
    private final Map<String, Long> left = new TreeMap<>();
    private long read;
    private long selected;
    private Integer limitReached;
    private long written;
    private long millis;

    RedriveSummary(String from, String to, boolean dryRun) {
        this.from = from;
        this.to = to;
        this.dryRun = dryRun;
    }

    void read() {
        read++;
    }

    void selected() {
        selected++;
    }

    void left(String why) {
        left.merge(why, 1L, Long::sum);
    }

    void limitReached(int limit) {
        limitReached = limit;
    }

    void finished(long sent, long tookMillis) {
        written = sent;
        millis = tookMillis;
    }

    public long readCount() {
        return read;
    }

    /** Sent again (acknowledged), or in a dry run, that would be. */
    public long redriven() {
        return dryRun ? selected : written;
    }

    /** Left, by why. */
    public Map<String, Long> left() {
        return Map.copyOf(left);
    }

    public Integer limitReached() {
        return limitReached;
    }

    long selectedCount() {
        return selected;
    }

    /**
     * E.g. {@code redrive from flow.registration.dlq to flow.registration.commands: 12 dead letters read, 9 redriven,
     * 3 left (2 rejected (--include-rejected sends them too), 1 dlq-reason not matching --reason), 0.8 s}.
     */
    public String line() {
        long leftCount = left.values().stream().mapToLong(Long::longValue).sum();
        String leftText = leftCount == 0 ? "0 left" : leftCount + " left (" + left.entrySet().stream()
            .map(entry -> entry.getValue() + " " + entry.getKey()).collect(Collectors.joining(", ")) + ")";
        String done = dryRun ? selected + " would be redriven" : written + " redriven";
        return String.format("%sredrive from %s to %s: %d dead letter%s read, %s, %s%s, %.1f s",
            dryRun ? "dry run, nothing written: " : "", from, to, read, read == 1 ? "" : "s", done, leftText,
            limitReached == null ? "" : ", stopped at --limit " + limitReached, millis / 1000.0);
    }
}
