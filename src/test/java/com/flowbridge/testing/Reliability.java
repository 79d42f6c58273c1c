package com.flowbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.camel.util.TimeUtils;

/**
 * What the fault scenarios share: their sizes and timings, short by default so that CI runs them, long when
 * {@code bench/reliability/run.sh} passes {@code -Dreliability.<name>=...}; and the figures they measure, printed
 * and appended to {@code target/reliability/<scenario>.md} for the bench script to collect.
 */
public final class Reliability {

    private static final Path FIGURES = Path.of("target", "reliability");

    private Reliability() {
    }

    /** {@code -Dreliability.<name>} as a duration (500ms, 8s, 5m, 1h), or {@code defaultValue}. */
    public static Duration duration(String name, String defaultValue) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(System.getProperty("reliability." + name, defaultValue)));
    }

    /** {@code -Dreliability.<name>} as a whole number, or {@code defaultValue}. */
    public static int count(String name, int defaultValue) {
        return Integer.getInteger("reliability." + name, defaultValue);
    }

    /** Prints a measured figure and appends it, as a Markdown list item, to the scenario's figures file. */
    public static void figure(String scenario, String text) {
        System.out.println("[reliability] " + scenario + ": " + text);
        append(FIGURES.resolve(scenario + ".md"), List.of("- " + text));
    }

    /** Waits for {@code condition}, checking every 250 ms; returns how long it took to hold. */
    public static Duration await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(250);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Sleeps until {@link System#nanoTime()} reaches {@code nanoTime} (at once if it has). */
    public static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
    }

    public static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** Appends lines to a file under target/reliability (e.g. a series of samples). */
    public static Path append(String fileName, List<String> lines) {
        return append(FIGURES.resolve(fileName), lines);
    }

    private static synchronized Path append(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
