package com.flowbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** What the tests that run a program of their own (flow-bridge's jar, Prometheus) do alike: wait, ask, stop. */
public final class ChildProcesses {

    /** A call that does I/O and may be interrupted (an HTTP request to the program, a wait). */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws IOException, InterruptedException;
    }

    private ChildProcesses() {
    }

    /** The call's answer; an I/O failure unchecked, an interrupt kept (the flag set again) and thrown as a failure. */
    public static <T> T unchecked(Call<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void sleep(long millis) {
        unchecked(() -> {
            Thread.sleep(millis);
            return null;
        });
    }

    /** A polite stop (SIGTERM), as an orchestrator would; kill -9 if the process has not ended within {@code grace}. */
    public static void stop(Process process, Duration grace) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
            }
        }
    }

    /** kill -9: no shutdown hook, no goodbye. */
    public static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
