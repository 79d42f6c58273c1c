package com.flowbridge.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignalFactTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void a_fact_reads_back_as_written_and_keeps_its_data_when_its_status_changes() throws Exception {
        SignalFact started = new SignalFact("resync-1", "execute-snapshot", "STARTED", "2026-12-02T10:00:00Z",
            mapper.readTree("{\"data-collections\":[\"sessions\"],\"filter\":{\"sessionToken\":\"live-townhall\"}}"), null);

        SignalFact completed = SignalFact.parse(mapper, started.json(mapper)).withStatus("COMPLETED");

        assertThat(completed).isEqualTo(new SignalFact("resync-1", "execute-snapshot", "COMPLETED", "2026-12-02T10:00:00Z",
            started.data(), null));
        assertThat(completed.is("execute-snapshot", "COMPLETED")).isTrue();
        assertThat(completed.is("execute-snapshot", "STARTED")).isFalse();
        assertThat(mapper.readTree(completed.json(mapper)).has("reason")).as("no reason field unless ABORTED").isFalse();
        assertThat(SignalFact.key("resync-1")).isEqualTo("signal:resync-1");
    }

    @Test
    void a_fact_that_is_not_json_reads_as_a_signal_of_no_type_or_status() {
        SignalFact unreadable = SignalFact.parse(mapper, "{not json");

        assertThat(unreadable.type()).isNull();
        assertThat(unreadable.status()).isNull();
        assertThat(unreadable.is("redrive", "STARTED")).isFalse();
        assertThat(SignalFact.parse(mapper, "[1]").type()).isNull();
    }
}
