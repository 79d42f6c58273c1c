package com.flowbridge.testing;

import java.util.Arrays;

/** Reads figures out of a Prometheus text exposition, as a monitoring system would. */
public final class PrometheusText {

    private final String text;

    public PrometheusText(String text) {
        this.text = text;
    }

    /** The sum of every sample of {@code metric} whose labels contain all of {@code labels} (e.g. {@code status="503"}). */
    public double sum(String metric, String... labels) {
        return text.lines()
            .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
            .filter(line -> Arrays.stream(labels).allMatch(line::contains))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .sum();
    }

    /** The sum of the samples of {@code metric} whose labels contain none of {@code labels}. */
    public double sumExcept(String metric, String... labels) {
        return text.lines()
            .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
            .filter(line -> Arrays.stream(labels).noneMatch(line::contains))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .sum();
    }

    @Override
    public String toString() {
        return text;
    }
}
