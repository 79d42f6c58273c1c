package com.flowbridge.command;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.capture.CanonicalJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandIdsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Registrations registrations = new Registrations(null, false);
    private final EventCreations events = new EventCreations(new CanonicalJson(JSON));

    @Test
    void a_derived_command_id_is_a_version_5_uuid_the_same_for_the_same_content() {
        String id = CommandIds.derive("registration", "a".getBytes(StandardCharsets.UTF_8));

        assertThat(UUID.fromString(id).version()).isEqualTo(5);
        assertThat(UUID.fromString(id).variant()).isEqualTo(2);
        assertThat(CommandIds.derive("registration", "a".getBytes(StandardCharsets.UTF_8))).isEqualTo(id);
        assertThat(CommandIds.derive("registration", "b".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(id);
        assertThat(CommandIds.derive("event", "a".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(id);
    }

    @Test
    void a_registration_is_normalised_email_case_and_spaces_and_an_absent_redirect_is_false() {
        String id = derived(registrations, "{\"email\":\"ada@example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\","
            + "\"eventSessionToken\":\"live-townhall\"}");

        assertThat(derived(registrations, "{\"email\":\"  ADA@Example.com \",\"firstName\":\" Ada\",\"lastName\":\"Lovelace \","
            + "\"eventSessionToken\":\"live-townhall\",\"redirect\":false,\"source\":\"crm\"}")).isEqualTo(id);
        assertThat(derived(registrations, "{\"email\":\"ada@example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\","
            + "\"eventSessionToken\":\"live-townhall\",\"redirect\":true}")).isNotEqualTo(id);
        assertThat(derived(registrations, "{\"email\":\"ada@example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\","
            + "\"eventSessionToken\":\"future-roadmap-1\"}")).isNotEqualTo(id);
    }

    @Test
    void an_event_is_normalised_by_field_order_and_without_its_command_id() {
        assertThat(derived(events, "{\"title\":\"T\",\"date\":\"2027-01-01\",\"commandId\":\"x\"}"))
            .isEqualTo(derived(events, "{\"date\":\"2027-01-01\",\"title\":\"T\"}"));
    }

    private static String derived(CommandType type, String command) {
        try {
            return CommandIds.derive(type.kind(), type.normalised((ObjectNode) JSON.readTree(command)));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
