package com.flowbridge.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches a flow-bridge process while a test hurts it: its health endpoint, asked every 250 ms (every answer
 * counted by status), and its heap, from the GC log the JVM writes ({@link #jvmOptions}).
 */
final class BridgeWatch implements AutoCloseable {

    private static final Pattern GC_PAUSE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    private final URI health;
    private final Path gcLog;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<Integer, Integer> answers = new ConcurrentSkipListMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    /** Heap figures from the GC log, in MiB: the most used before a collection, and the most still used after one. */
    record Heap(long peakUsedMiB, long peakLiveMiB, long maxMiB, int collections) {
    }

    private BridgeWatch(int managementPort, Path gcLog) {
        this.health = URI.create("http://127.0.0.1:" + managementPort + "/observe/health");
        this.gcLog = gcLog;
        this.sampler = new Thread(this::sample, "bridge-watch");
        sampler.setDaemon(true);
    }

    /** The JVM options that give the bridge {@code heap} and a GC log at {@code gcLog}. */
    static List<String> jvmOptions(String heap, Path gcLog) {
        return List.of("-Xmx" + heap, "-Xlog:gc:file=" + gcLog);
    }

    /** Waits until the bridge answers 200 on its health endpoint, then samples it until closed. */
    static BridgeWatch start(int managementPort, Path gcLog, Duration timeout) throws InterruptedException {
        BridgeWatch watch = new BridgeWatch(managementPort, gcLog);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (watch.status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("flow-bridge was not healthy within " + timeout);
            }
            Thread.sleep(250);
        }
        watch.sampler.start();
        return watch;
    }

    /** Health answers by HTTP status since the bridge first answered 200 ({@code 0}: no answer). */
    Map<Integer, Integer> healthAnswers() {
        return new TreeMap<>(answers);
    }

    Heap heap() {
        long peakUsed = 0;
        long peakLive = 0;
        long max = 0;
        int collections = 0;
        try {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher pause = GC_PAUSE.matcher(line);
                if (pause.find()) {
                    collections++;
                    peakUsed = Math.max(peakUsed, mebibytes(pause.group(1), pause.group(2)));
                    peakLive = Math.max(peakLive, mebibytes(pause.group(3), pause.group(4)));
                    max = Math.max(max, mebibytes(pause.group(5), pause.group(6)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Heap(peakUsed, peakLive, max, collections);
    }

    private void sample() {
        while (running) {
            answers.merge(status(), 1, Integer::sum);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private int status() {
        try {
            return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static long mebibytes(String amount, String unit) {
        long value = Long.parseLong(amount);
        return switch (unit) {
            case "K" -> value / 1024;
            case "G" -> value * 1024;
            default -> value;
        };
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join(5_000);
    }
}
