package com.flowbridge.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract documents pass their own ecosystems' validators, AsyncAPI's CLI ({@code asyncapi validate}) and
 * Redocly's CLI ({@code redocly lint}, every recommended rule as an error), run by {@code contracts/check.sh}, which
 * installs them from the npm registry under target/ when they are not there. A broken copy of the documents fails the
 * same validators, so this test can fail.
 */
class ContractValidatorsIT {

    @TempDir
    Path broken;

    @Test
    void both_documents_pass_the_asyncapi_and_redocly_validators() {
        Result result = check();

        assertThat(result.exitCode()).as("contracts/check.sh:\n%s", result.output()).isZero();
        assertThat(result.output()).contains("asyncapi validate contracts/asyncapi.yaml", "is valid",
            "redocly lint contracts/openapi.yaml", "Your API description is valid", "contracts: both documents valid");
    }

    @Test
    void a_broken_reference_and_an_example_that_breaks_its_schema_fail_them() throws IOException {
        copy(Path.of("contracts"), broken);
        Path asyncapi = broken.resolve("asyncapi.yaml");
        Files.writeString(asyncapi, Files.readString(asyncapi).replace("'#/components/messages/sessionTombstone'",
            "'#/components/messages/sessionTombstones'"));
        Path openapi = broken.resolve("openapi.yaml");
        Files.writeString(openapi, Files.readString(openapi).replace("                topic: flow.report.requests",
            "                topic: 42"));

        Result result = check(broken.toString());

        assertThat(result.exitCode()).as("contracts/check.sh on a broken copy:\n%s", result.output()).isNotZero();
        assertThat(result.output()).contains("sessionTombstones' does not exist", "Example value must conform to the schema",
            "contracts: INVALID");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result check(String... arguments) {
        try {
            Path log = Files.createTempFile("contract-check", ".log");
            ProcessBuilder command = new ProcessBuilder(Stream.concat(Stream.of("bash", "contracts/check.sh"), Stream.of(arguments))
                .toList()).redirectErrorStream(true).redirectOutput(log.toFile());
            Process process = command.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("contracts/check.sh did not finish within 10 minutes:\n" + Files.readString(log));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(output);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
