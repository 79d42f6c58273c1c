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

    @ParameterizedTest
    @ValueSource(strings = {"Ada\\u0000", "\\u001b[31mAda", "A\\u007fda", "Ada\\u0085", "Ada\\tLovelace", "Ada\\nLovelace"})
    void a_name_with_control_characters_is_refused_wherever_they_are(String firstName) {
        assertThat(registrations.validate(json(ADA.replace("\"Ada\"", "\"" + firstName + "\""))))
            .containsExactly(new FieldError("firstName", "must not contain control characters"));
    }

    @Test
    void white_space_around_a_name_is_trimmed_and_a_description_may_have_line_breaks_and_tabs() {
        assertThat(registrations.validate(json(ADA.replace("\"Ada\"", "\" Ada\\t\\r\\n\"")))).isEmpty();
        assertThat(events.validate(json(EVENT.replace("\"D\"", "\"Agenda:\\n\\t1. Roadmap\\r\\n\\t2. Q&A\"")))).isEmpty();
        assertThat(events.validate(json(EVENT.replace("\"D\"", "\"Agenda\\u000b\""))))
            .containsExactly(new FieldError("description", "must not contain control characters other than tabs and line breaks"));
    }

    @Test
    void text_with_an_unpaired_surrogate_is_refused_and_a_real_pair_is_text() {
        assertThat(fields(registrations.validate(json(ADA.replace("\"Ada\"", "\"Ada\\ud800\""))))).containsExactly("firstName");
        assertThat(fields(events.validate(json(EVENT.replace("\"T\"", "\"\\udc00T\""))))).containsExactly("title");
        assertThat(registrations.validate(json(ADA.replace("\"Ada\"", "\"Ada \\ud83d\\ude00\"")))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../admin", "live-townhall?admin=true", "live%2Ftownhall", "{{flow.api.secret}}", "${body}", "a#b"})
    void a_session_token_is_what_a_url_path_segment_carries_as_it_is(String token) {
        assertThat(registrations.validate(json(ADA.replace("live-townhall", token))))
            .containsExactly(new FieldError("eventSessionToken", "must contain only letters, digits, '-', '_', '.' and '~'"));
    }

    @Test
    void a_session_token_may_not_be_a_dot_segment() {
        assertThat(registrations.validate(json(ADA.replace("live-townhall", ".."))))
            .containsExactly(new FieldError("eventSessionToken", "must not be '.' or '..'"));
        assertThat(registrations.validate(json(ADA.replace("live-townhall", "81j33qyclo35dhqv5lapbrgd_a.b~c")))).isEmpty();
    }

    @Test
    void a_number_too_large_for_a_double_is_no_duration() {
        assertThat(fields(events.validate(json(EVENT.replace("}]}", "}],\"duration\":1e400}"))))).containsExactly("duration");
    }

    @Test
    void thousands_of_bad_operators_give_a_short_answer() {
        String operators = "\"operators\":[{\"id\":101,\"role\":5,\"micEnabled\":true,\"camEnabled\":false,\"screenSharingEnabled\":true}]";
        String many = "\"operators\":[" + "1,".repeat(9_999) + "{\"id\":\"x\"}]";

        List<FieldError> errors = events.validate(json(EVENT.replace(operators, many)));

        assertThat(fields(errors)).containsExactly("operators[0]", "operators[1]", "operators[2]", "operators");
        assertThat(errors.get(3).message()).isEqualTo("9997 more operators are invalid");
    }

    @Test
    void an_outcome_names_a_command_only_by_values_short_enough_to_be_valid() {
        ObjectNode outcome = JSON.createObjectNode();
        registrations.describe(outcome, json(ADA.replace("ada@example.com", "a".repeat(300) + "@example.com")));
        assertThat(outcome.get("email").isNull()).isTrue();
        assertThat(outcome.path("eventSessionToken").asText()).isEqualTo("live-townhall");

        events.describe(outcome, json(EVENT.replace("\"T\"", "\"" + "T".repeat(256) + "\"")));
        assertThat(outcome.get("title").isNull()).isTrue();
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
