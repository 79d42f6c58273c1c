package com.flowbridge.redrive;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad arguments and settings: exit code 2 and one line naming the problem, before anything talks to Kafka. */
class RedriveCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void without_from_it_says_so() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err()).startsWith("redrive: Missing required option: '--from=TOPIC'").contains("Usage: java -jar flow-bridge.jar redrive");
    }

    @Test
    void a_topic_that_is_not_a_dead_letter_topic_is_refused_naming_the_ones_that_are() {
        assertThat(run(Map.of(), "--from", "flow.registration.commands")).isEqualTo(2);
        assertThat(err()).startsWith("redrive: --from flow.registration.commands is not one of flow-bridge's dead-letter topics: "
            + "flow.registration.dlq or flow.event.dlq");
    }

    @Test
    void dead_letter_topics_are_the_configured_ones() {
        assertThat(run(Map.of("KAFKA_TOPIC_EVENT_DLQ", "crm.event.dlq"), "--from", "flow.event.dlq")).isEqualTo(2);
        assertThat(err()).contains("flow.registration.dlq or crm.event.dlq");
    }

    @Test
    void times_must_be_iso_8601_and_in_order() {
        assertThat(run(Map.of(), "--from", "flow.registration.dlq", "--since", "yesterday")).isEqualTo(2);
        assertThat(err()).startsWith("redrive: Invalid value for option '--since': 'yesterday' is not an ISO-8601 time");
        err.reset();
        assertThat(run(Map.of(), "--from", "flow.registration.dlq", "--since", "2026-11-28", "--until", "2026-11-27T23:00:00+01:00"))
            .isEqualTo(2);
        assertThat(err()).startsWith("redrive: --since 2026-11-28T00:00:00Z is not before --until 2026-11-27T22:00:00Z");
    }

    @Test
    void limit_and_reason_are_checked() {
        assertThat(run(Map.of(), "--from", "flow.registration.dlq", "--limit", "0")).isEqualTo(2);
        assertThat(err()).startsWith("redrive: --limit must be at least 1, not 0");
        err.reset();
        assertThat(run(Map.of(), "--from", "flow.registration.dlq", "--reason", "HTTP (50")).isEqualTo(2);
        assertThat(err()).startsWith("redrive: Invalid value for option '--reason'");
    }

    @Test
    void without_a_kafka_cluster_setting_it_says_which_variable_to_set() {
        assertThat(run(Map.of(), "--from", "flow.registration.dlq")).isEqualTo(2);
        assertThat(err()).isEqualTo("redrive cannot start: KAFKA_BOOTSTRAP_SERVERS (kafka.bootstrap.servers) is not set\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void help_lists_every_option_and_the_exit_codes() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--from=TOPIC", "--reason=REGEX", "--since=TIME", "--until=TIME",
            "--limit=N", "--include-rejected", "--dry-run", "Exit codes:", "bad argument or setting");
    }

    private int run(Map<String, String> environment, String... arguments) {
        return RedriveCommand.commandLine(environment, false, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)).execute(arguments);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
