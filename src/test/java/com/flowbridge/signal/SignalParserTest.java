package com.flowbridge.signal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.command.FieldError;
import com.flowbridge.redrive.Redrive;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignalParserTest {

    private final SignalParser parser = new SignalParser(new ObjectMapper(), () -> Set.of("sessions", "registrants", "operators"),
        Map.of("flow.registration.dlq", "flow.registration.commands", "flow.event.dlq", "flow.event.commands"));

    @Test
    void a_snapshot_in_debeziums_shape_is_valid() {
        Signal signal = parse("{\"id\":\"s-1\",\"type\":\"execute-snapshot\",\"data\":{\"data-collections\":[\"registrants\"],"
            + "\"filter\":{\"sessionToken\":\"abc\"},\"type\":\"incremental\"}}");

        assertThat(signal.errors()).isEmpty();
        assertThat(signal.id()).isEqualTo("s-1");
    }

    @Test
    void what_is_not_a_signal_is_named_and_keyed_by_where_it_was() {
        assertThat(parse("not json")).satisfies(signal -> {
            assertThat(signal.id()).isEqualTo("here/0/7");
            assertThat(signal.problem()).startsWith("signal is not JSON");
        });
        assertThat(parse("[1]").problem()).isEqualTo("signal must be a JSON object {\"id\", \"type\", \"data\"}");
        assertThat(parse(null).valid()).isFalse();
    }

    @Test
    void each_bad_field_is_named() {
        assertThat(fields("{\"type\":\"execute-snapshot\",\"data\":{\"data-collections\":[\"registrants\"]}}")).containsExactly("id");
        assertThat(fields("{\"id\":\"has space\",\"type\":\"execute-snapshot\",\"data\":{\"data-collections\":[\"registrants\"]}}"))
            .containsExactly("id");
        assertThat(fields("{\"id\":\"s\",\"type\":\"stop-snapshot\"}")).containsExactly("type");
        assertThat(fields("{\"id\":\"s\"}")).containsExactly("type");
        assertThat(fields("{\"id\":\"s\",\"type\":\"execute-snapshot\",\"data\":{}}")).containsExactly("data.data-collections");
        assertThat(fields("{\"id\":\"s\",\"type\":\"execute-snapshot\",\"data\":{\"data-collections\":[\"sessions\",\"surveys\",3]}}"))
            .containsExactly("data.data-collections[1]", "data.data-collections[2]");
        assertThat(fields("{\"id\":\"s\",\"type\":\"execute-snapshot\",\"data\":{\"data-collections\":[\"sessions\"],"
            + "\"filter\":{\"email\":\"x\",\"sessionToken\":\" \"},\"extra\":1,\"type\":\"fast\"}}"))
            .containsExactlyInAnyOrder("data.extra", "data.filter.email", "data.filter.sessionToken", "data.type");
        assertThat(fields("{\"id\":\"r\",\"type\":\"redrive\",\"data\":{\"from\":\"flow.other\",\"reason\":\"(\","
            + "\"since\":\"yesterday\",\"limit\":0,\"dry-run\":\"yes\"}}"))
            .containsExactlyInAnyOrder("data.from", "data.reason", "data.since", "data.limit", "data.dry-run");
        assertThat(fields("{\"id\":\"r\",\"type\":\"redrive\",\"data\":{\"from\":\"flow.event.dlq\","
            + "\"since\":\"2026-12-02\",\"until\":\"2026-12-01\"}}")).containsExactly("data.until");
    }

    @Test
    void a_redrive_signal_asks_for_what_the_verbs_options_would() {
        Signal signal = parse("{\"id\":\"r\",\"type\":\"redrive\",\"data\":{\"from\":\"flow.event.dlq\",\"reason\":\"HTTP 5\","
            + "\"since\":\"2026-12-01T10:00:00Z\",\"limit\":5,\"include-rejected\":true,\"dry-run\":true}}");

        assertThat(signal.errors()).isEmpty();
        Redrive redrive = parser.redriveOf(signal);
        assertThat(redrive.commandTopic()).isEqualTo("flow.event.commands");
        assertThat(redrive.reason().pattern()).isEqualTo("HTTP 5");
        assertThat(redrive.since()).hasToString("2026-12-01T10:00:00Z");
        assertThat(redrive.until()).isNull();
        assertThat(redrive.limit()).isEqualTo(5);
        assertThat(redrive.includeRejected()).isTrue();
        assertThat(redrive.dryRun()).isTrue();
    }

    private Signal parse(String text) {
        return parser.parse(text == null ? null : text.getBytes(StandardCharsets.UTF_8), "here/0/7");
    }

    private List<String> fields(String text) {
        return parse(text).errors().stream().map(FieldError::field).toList();
    }
}
