package com.flowbridge.command;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.capture.CanonicalJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CommandValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADA = "{\"email\":\"ada@example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\","
        + "\"eventSessionToken\":\"live-townhall\"}";
    private static final String EVENT = "{\"creatorID\":101,\"title\":\"T\",\"description\":\"D\",\"date\":\"2028-02-29\","
        + "\"time\":\"23:59:59\",\"timezone\":\"America/New_York\",\"operators\":[{\"id\":101,\"role\":5,\"micEnabled\":true,"
        + "\"camEnabled\":false,\"screenSharingEnabled\":true}]}";
    private final Registrations registrations = new Registrations(null, false);
    private final EventCreations events = new EventCreations(new CanonicalJson(JSON));

    @Test
    void a_complete_registration_is_valid() {
        assertThat(registrations.validate(json(ADA))).isEmpty();
        assertThat(registrations.validate(json(ADA.replace("}", ",\"redirect\":true,\"commandId\":\"crm-42\"}")))).isEmpty();
    }

    @Test
    void every_missing_blank_or_mistyped_registration_field_is_named() {
        assertThat(fields(registrations.validate(json("{\"firstName\":\"  \",\"lastName\":7,\"redirect\":\"yes\",\"commandId\":3}"))))
            .containsExactly("commandId", "email", "firstName", "lastName", "eventSessionToken", "redirect");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada", "ada@", "@example.com", "ada@example", "ada example@example.com", "ada@@example.com",
        "ada@example..com", ".ada@example.com"})
    void a_malformed_email_is_refused(String email) {
        assertThat(registrations.validate(json(ADA.replace("ada@example.com", email))))
            .containsExactly(new FieldError("email", "is not a valid email address"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada.lovelace+flow@example.co.uk", "o'brien@sub.example.org", "A_B-C@EXAMPLE.COM"})
    void real_email_addresses_are_accepted(String email) {
        assertThat(registrations.validate(json(ADA.replace("ada@example.com", email)))).isEmpty();
    }

    @Test
    void lengths_are_bounded() {
        assertThat(fields(registrations.validate(json(ADA.replace("Ada", "A".repeat(201)))))).containsExactly("firstName");
        assertThat(fields(registrations.validate(json(ADA.replace("ada@", "a".repeat(250) + "@"))))).containsExactly("email");
        assertThat(fields(registrations.validate(json(ADA.replace("live-townhall", "live townhall"))))).containsExactly("eventSessionToken");
    }

    @Test
    void a_complete_event_is_valid_with_its_optional_fields_typed_as_flow_says() {
        assertThat(events.validate(json(EVENT))).isEmpty();
        assertThat(events.validate(json(EVENT.replace("}]}", "}],\"published\":false,\"duration\":2,\"earlyAccessPeriod\":15,"
            + "\"videoRecord\":true,\"onDemandReplays\":false}")))).isEmpty();
        assertThat(fields(events.validate(json(EVENT.replace("}]}", "}],\"published\":\"no\",\"duration\":\"2h\",\"videoRecord\":1}")))))
            .containsExactly("published", "duration", "videoRecord");
    }

    @Test
    void event_dates_times_and_zones_must_be_real() {
        assertThat(fields(events.validate(json(EVENT.replace("2028-02-29", "2027-02-29"))))).containsExactly("date");
        assertThat(fields(events.validate(json(EVENT.replace("2028-02-29", "2028-2-9"))))).containsExactly("date");
        assertThat(fields(events.validate(json(EVENT.replace("23:59:59", "24:00:00"))))).containsExactly("time");
        assertThat(fields(events.validate(json(EVENT.replace("23:59:59", "9:00"))))).containsExactly("time");
        assertThat(fields(events.validate(json(EVENT.replace("America/New_York", "America/Nowhere"))))).containsExactly("timezone");
        assertThat(fields(events.validate(json(EVENT.replace("America/New_York", "+02:00"))))).containsExactly("timezone");
    }

    @Test
    void each_operator_needs_an_id_a_role_of_5_or_10_and_three_booleans() {
        String operators = "\"operators\":[{\"id\":101,\"role\":5,\"micEnabled\":true,\"camEnabled\":false,\"screenSharingEnabled\":true}]";
        assertThat(fields(events.validate(json(EVENT.replace(operators, "\"operators\":[]"))))).containsExactly("operators");
        assertThat(fields(events.validate(json(EVENT.replace(operators, "\"operators\":[{\"role\":7,\"micEnabled\":\"on\"}]")))))
            .containsExactly("operators[0].id", "operators[0].role", "operators[0].micEnabled", "operators[0].camEnabled",
                "operators[0].screenSharingEnabled");
        assertThat(fields(events.validate(json("{}")))).containsExactly(
            "creatorID", "title", "description", "date", "time", "timezone", "operators");
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
