package com.flowbridge.sandbox;

import static com.flowbridge.sandbox.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox as the demo and the product's tests run it: its own JVM, started by {@code main}, in a heap
 * smaller than the 256 MB it is promised, holding and serving the benchmark's bulk data.
 */
class SandboxProcessTest {

    private static final String HEAP = "-Xmx128m";

    private Process process;

    @AfterEach
    void stopProcess() {
        if (process != null) {
            process.destroy();
        }
    }

    @Test
    void main_serves_2000_sessions_of_100_registrants_and_streams_a_million_rows_in_a_small_heap() throws IOException {
        SandboxHttp http = new SandboxHttp(startProcess());

        assertThat(http.control("POST", "/generate", "{\"sessions\": 2000, \"registrantsPerSession\": 100}").statusCode()).isEqualTo(200);
        for (int number = 1; number <= 2000; number++) {
            HttpResponse<String> registrants = http.flowGet(String.format("/reports/events/sessions/registrants/gen-%05d", number));
            assertThat(json(registrants)).hasSize(100);
        }
        http.control("POST", "/sessions/gen-00003/reports/registrants/generate", "{\"rows\": 1000000}");
        long lineBreaks = countLineBreaks(http.flowGetStream("/reports/events/sessions/registrants/csv/gen-00003").body());

        assertThat(lineBreaks).isEqualTo(1_000_001);
        assertThat(json(http.flowGet("/events/sessions")).get("data")).hasSize(2005);
        assertThat(json(http.control("GET", "/health", null)).get("status").asText()).isEqualTo("UP");
        assertThat(process.isAlive()).isTrue();
    }

    /** Starts {@code FlowSandbox.main} on an ephemeral port and returns the base URL it prints. */
    private String startProcess() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, HEAP, "-cp", System.getProperty("java.class.path"),
                FlowSandbox.class.getName(), "--port", "0", "--api-secret", SandboxHttp.SECRET)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.startsWith("http://")) {
                return line;
            }
        }
        throw new IllegalStateException("The sandbox process ended without printing its base URL");
    }

    private static long countLineBreaks(InputStream body) throws IOException {
        long count = 0;
        byte[] buffer = new byte[64 * 1024];
        try (body) {
            for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
                for (int i = 0; i < read; i++) {
                    count += buffer[i] == '\n' ? 1 : 0;
                }
            }
        }
        return count;
    }
}
