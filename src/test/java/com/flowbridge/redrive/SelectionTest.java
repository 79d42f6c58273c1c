package com.flowbridge.redrive;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SelectionTest {

    static final String COMMANDS = "flow.registration.commands";
    static final Instant WRITTEN = Instant.parse("2026-11-27T21:22:09Z");

    private final Selection failedOnly = new Selection(COMMANDS, null, null, null, false);

    @Test
    void a_failed_command_from_the_command_topic_is_sent_again() {
        assertThat(failedOnly.whyNot(letter(Map.of()))).isNull();
    }

    @Test
    void a_rejected_command_is_sent_again_only_when_asked() {
        DeadLetter rejected = letter(Map.of("command-status", "rejected", "dlq-reason", "invalid command: email is not valid"));
        assertThat(failedOnly.whyNot(rejected)).isEqualTo(Selection.REJECTED);
        assertThat(new Selection(COMMANDS, null, null, null, true).whyNot(rejected)).isNull();
    }

    @Test
    void the_reason_is_a_regex_found_anywhere_in_dlq_reason() {
        Selection http5xx = new Selection(COMMANDS, Pattern.compile("HTTP 50[0-9]"), null, null, false);
        assertThat(http5xx.whyNot(letter(Map.of()))).isNull();
        assertThat(http5xx.whyNot(letter(Map.of("dlq-reason", "The call to FLOW failed: Connection refused"))))
            .isEqualTo(Selection.REASON_DIFFERS);
    }

    @Test
    void since_is_inclusive_and_until_exclusive_by_the_time_the_dead_letter_was_written() {
        assertThat(new Selection(COMMANDS, null, WRITTEN, null, false).whyNot(letter(Map.of()))).isNull();
        assertThat(new Selection(COMMANDS, null, WRITTEN.plusMillis(1), null, false).whyNot(letter(Map.of())))
            .isEqualTo(Selection.OUTSIDE_WINDOW);
        assertThat(new Selection(COMMANDS, null, null, WRITTEN, false).whyNot(letter(Map.of()))).isEqualTo(Selection.OUTSIDE_WINDOW);
        assertThat(new Selection(COMMANDS, null, null, WRITTEN.plusMillis(1), false).whyNot(letter(Map.of()))).isNull();
    }

    @Test
    void a_dead_letter_not_from_its_command_topic_or_without_command_headers_or_value_is_left() {
        assertThat(failedOnly.whyNot(letter(Map.of("dlq-source-topic", "somewhere.else")))).isEqualTo(Selection.NOT_FROM_COMMAND_TOPIC);
        DeadLetter old = new DeadLetter("flow.registration.dlq", 1, 7, WRITTEN.toEpochMilli(), null, new byte[]{'{', '}'},
            headers(Map.of("dlq-source-topic", COMMANDS, "dlq-reason", "x")));
        assertThat(failedOnly.whyNot(old)).isEqualTo(Selection.NO_COMMAND_HEADERS);
        assertThat(failedOnly.whyNot(letter(Map.of("dlq-value-omitted", "too large")))).isEqualTo(Selection.VALUE_OMITTED);
        assertThat(failedOnly.whyNot(letter(Map.of("command-status", "registered")))).isEqualTo("command-status registered");
    }

    /** A failed registration's dead letter as the command flow writes it, with {@code changed} headers instead. */
    static DeadLetter letter(Map<String, String> changed) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(Map.of(
            "dlq-reason", "FLOW did not carry the command out after 2 attempts: HTTP 503",
            "dlq-source-topic", COMMANDS, "dlq-source-partition", "2", "dlq-source-offset", "41",
            "command-id", "crm-42", "command-status", "failed"));
        headers.putAll(changed);
        return new DeadLetter("flow.registration.dlq", 2, 17, WRITTEN.toEpochMilli(),
            "live-townhall:ada@example.com".getBytes(StandardCharsets.UTF_8),
            "{\"commandId\":\"crm-42\",\"email\":\"ada@example.com\"}".getBytes(StandardCharsets.UTF_8), headers(headers));
    }

    private static RecordHeaders headers(Map<String, String> values) {
        RecordHeaders headers = new RecordHeaders();
        values.forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }
}
