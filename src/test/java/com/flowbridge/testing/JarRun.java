package com.flowbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of an operator verb of the packaged jar ({@code java -jar target/flow-bridge.jar redrive ...}) to its end,
 * from a working directory holding config/, with only the environment given: its exit code, what it printed on stdout
 * and on stderr (kept apart, as a script calling it would see them).
 */
public record JarRun(int exitCode, String out, String err) {

    private static final Path JAR = Path.of("target", "flow-bridge.jar").toAbsolutePath();

    public static JarRun of(Path workDir, Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        try {
            Path out = Files.createTempFile(workDir, "out", ".txt");
            Path err = Files.createTempFile(workDir, "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().keySet().removeIf(variable -> variable.startsWith("FLOW_") || variable.startsWith("KAFKA_"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", arguments) + " did not end within 120 s");
            }
            JarRun run = new JarRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
            System.out.println("[JarRun " + String.join(" ", arguments) + "] exit " + run.exitCode() + "\n" + run.out() + run.err());
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last line printed on stdout (a verb's summary). */
    public String lastLine() {
        List<String> lines = out.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
