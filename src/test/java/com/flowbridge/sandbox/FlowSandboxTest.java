package com.flowbridge.sandbox;

import static com.flowbridge.sandbox.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FLOW API as the product sees it, over real HTTP. */
class FlowSandboxTest extends RunningSandbox {

    private static final String EVENT_INFO_FIELDS = "title description time published eventToken timezone duration "
            + "earlyAccessPeriod creator token date createDate refSources operators accessStatus videoRecord privatizeChat "
            + "emailMessage hasQnA useAdvancedQna redirectUrl qnaPublicByDefault reminderOne reminderTwo hasRecording questions";

    @Test
    void a_request_without_or_with_a_wrong_api_secret_is_refused_with_401() {
        HttpResponse<String> missing = http.send(http.request("GET", "/api/v1/events/sessions", null),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = http.send(http.request("GET", "/api/v1/operators", null).header("api-secret", "nope"),
                HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> response : List.of(missing, wrong)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(json(response).get("message").asText()).isEqualTo("Invalid or missing api-secret");
        }
    }

    @Test
    void the_events_list_comes_wrapped_and_filters_by_period_or_periodName() {
        JsonNode all = json(http.flowGet("/events/sessions?simple_analytics=1"));
        JsonNode past = json(http.flowGet("/events/sessions?period=past&simple_analytics=1"));
        JsonNode future = json(http.flowGet("/events/sessions?periodName=future"));
        JsonNode current = json(http.flowGet("/events/sessions?period=current&periodName=current"));

        assertThat(all.get("code").asInt()).isEqualTo(200);
        assertThat(tokens(all.get("data"))).containsExactly(
                "future-roadmap-1", "future-roadmap-2", "live-townhall", "past-onboarding", "past-security");
        assertThat(tokens(past.get("data"))).containsExactly("past-onboarding", "past-security");
        assertThat(tokens(future.get("data"))).containsExactly("future-roadmap-1", "future-roadmap-2");
        assertThat(tokens(current.get("data"))).containsExactly("live-townhall");
    }

    @Test
    void the_events_list_summarises_each_session_with_simple_analytics() {
        JsonNode onboarding = json(http.flowGet("/events/sessions?period=past")).get("data").get(0);

        assertThat(fieldNames(onboarding)).containsExactly("token", "eventToken", "title", "date", "time", "timezone",
                "accessStatus", "published", "registrantCount", "attendeeCount");
        assertThat(onboarding.get("registrantCount").asInt()).isEqualTo(8);
        assertThat(onboarding.get("attendeeCount").asInt()).isEqualTo(6);
        assertThat(http.flowGet("/events/sessions?period=someday").statusCode()).isEqualTo(400);
    }

    @Test
    void answers_come_bare_or_wrapped_as_switched_per_endpoint_or_globally() {
        http.control("POST", "/shape", "{\"endpoint\": \"eventsList\", \"shape\": \"bare\"}");
        assertThat(json(http.flowGet("/events/sessions")).isArray()).isTrue();
        assertThat(json(http.flowGet("/operators")).isArray()).isTrue();

        http.control("POST", "/shape", "{\"shape\": \"wrapped\"}");
        assertThat(json(http.flowGet("/operators")).get("data").isArray()).isTrue();
        assertThat(json(http.flowGet("/events/sessions")).get("data").isArray()).isTrue();

        http.control("POST", "/shape", "{\"shape\": \"default\"}");
        assertThat(json(http.flowGet("/operators")).isArray()).isTrue();
        assertThat(json(http.flowGet("/events/sessions")).get("code").asInt()).isEqualTo(200);
        assertThat(http.control("POST", "/shape", "{\"shape\": \"round\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void event_info_has_every_documented_field_and_404_for_an_unknown_session() {
        JsonNode info = json(http.flowGet("/events/sessions/public/past-onboarding"));
        HttpResponse<String> unknown = http.flowGet("/events/sessions/public/no-such-session");

        assertThat(fieldNames(info)).containsExactlyInAnyOrder(EVENT_INFO_FIELDS.split(" "));
        assertThat(info.get("creator").get("email").asText()).isEqualTo("maya.lindqvist@example.com");
        assertThat(fieldNames(info.get("operators").get(0)))
                .containsExactly("id", "role", "micEnabled", "camEnabled", "screenSharingEnabled");
        assertThat(info.get("accessStatus").asInt()).isEqualTo(3);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("message").asText()).isEqualTo("Session not found");
    }

    @Test
    void two_sessions_of_one_event_share_its_event_token() {
        JsonNode first = json(http.flowGet("/events/sessions/public/future-roadmap-1"));
        JsonNode second = json(http.flowGet("/events/sessions/public/future-roadmap-2"));

        assertThat(first.get("eventToken")).isEqualTo(second.get("eventToken"));
        assertThat(first.get("token")).isNotEqualTo(second.get("token"));
    }

    @Test
    void a_registration_answers_the_registrant_and_appears_in_the_registrant_list() {
        HttpResponse<String> response = http.flowPost("/registrants", registration("ada@example.com", "future-roadmap-1", false));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode data = json(response).get("data");
        assertThat(json(response).get("code").asInt()).isEqualTo(200);
        assertThat(data.get("email").asText()).isEqualTo("ada@example.com");
        assertThat(data.get("registrationDate").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        assertThat(data.get("loginUrl").asText()).startsWith("http://127.0.0.1:" + sandbox.port() + "/login/");

        JsonNode list = json(http.flowGet("/reports/events/sessions/registrants/future-roadmap-1"));
        assertThat(list).hasSize(5);
        assertThat(list.get(4)).isEqualTo(data);
    }

    @Test
    void a_registration_with_redirect_answers_302_to_a_working_login_link() {
        HttpResponse<String> response = http.flowPost("/registrants", registration("ada@example.com", "live-townhall", true));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.body()).isEmpty();
        String location = response.headers().firstValue("Location").orElseThrow();
        JsonNode registrant = json(http.flowGet("/reports/events/sessions/registrants/live-townhall")).get(5);
        assertThat(location).isEqualTo(registrant.get("loginUrl").asText());
        assertThat(http.get(location.substring(location.indexOf("/login/"))).statusCode()).isEqualTo(200);
    }

    @Test
    void registering_an_email_again_in_other_case_or_with_spaces_answers_the_same_registrant() {
        JsonNode first = json(http.flowPost("/registrants", registration("Ada.Lovelace@example.com", "future-roadmap-1", false)));
        JsonNode again = json(http.flowPost("/registrants", registration("  ada.lovelace@EXAMPLE.com ", "future-roadmap-1", false)));
        HttpResponse<String> sample = http.flowPost("/registrants", registration("EMILY.CHEN@example.com", "future-roadmap-1", false));

        assertThat(again.get("data")).isEqualTo(first.get("data"));
        assertThat(json(sample).get("data").get("firstName").asText()).isEqualTo("Emily");
        assertThat(json(http.flowGet("/reports/events/sessions/registrants/future-roadmap-1"))).hasSize(5);
    }

    @Test
    void a_registration_is_refused_naming_what_is_wrong() {
        assertRefused(http.flowPost("/registrants", "{\"email\":\"ada@example.com\",\"lastName\":\"L\",\"eventSessionToken\":\"live-townhall\"}"),
                400, "firstName is required");
        assertRefused(http.flowPost("/registrants", "{\"email\":\"ada@example.com\",\"firstName\":\" \",\"lastName\":\"L\",\"eventSessionToken\":\"live-townhall\"}"),
                400, "firstName is required");
        assertRefused(http.flowPost("/registrants", registration("not-an-email", "live-townhall", false)),
                400, "email is not a valid email address");
        assertRefused(http.flowPost("/registrants", "{\"email\":\"ada@example.com\",\"firstName\":\"A\",\"lastName\":\"L\"}"),
                400, "eventSessionToken is required");
        assertRefused(http.flowPost("/registrants", "not json"), 400, "Request body is not JSON");
        assertRefused(http.flowPost("/registrants", registration("ada@example.com", "no-such-session", false)),
                404, "Session not found");
        assertRefused(http.flowPost("/registrants", registration("ada@example.com", "past-security", false)),
                400, "Registration is closed for this session");
        assertThat(json(http.flowGet("/reports/events/sessions/registrants/live-townhall"))).hasSize(5);
    }

    @Test
    void an_event_created_through_the_api_is_a_new_future_session() {
        HttpResponse<String> response = http.flowPost("/events", newEvent("\"title\": \"Partner Summit\","));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode created = json(response).get("data");
        assertThat(created.get("title").asText()).isEqualTo("Partner Summit");
        JsonNode info = json(http.flowGet("/events/sessions/public/" + created.get("token").asText()));
        assertThat(fieldNames(info)).containsExactlyInAnyOrder((EVENT_INFO_FIELDS + " onDemandReplays").split(" "));
        assertThat(info.get("eventToken")).isEqualTo(created.get("eventToken"));
        assertThat(info.get("accessStatus").asInt()).isEqualTo(1);
        assertThat(info.get("creator").get("lastName").asText()).isEqualTo("Herrera");
        assertThat(info.get("duration").asDouble()).isEqualTo(2.0);
        assertThat(tokens(json(http.flowGet("/events/sessions?period=future")).get("data")))
                .contains(created.get("token").asText());
    }

    @Test
    void event_creation_names_the_missing_or_wrong_field() {
        assertRefused(http.flowPost("/events", newEvent("")), 400, "title is required");
        assertRefused(http.flowPost("/events", newEvent("\"title\": \"T\",").replace("2027-03-01", "01/03/2027")),
                400, "date is not valid: 01/03/2027");
        assertRefused(http.flowPost("/events", newEvent("\"title\": \"T\",").replace("\"creatorID\": 102", "\"creatorID\": 999")),
                400, "creatorID 999 is not an operator of this account");
        assertRefused(http.flowPost("/events", newEvent("\"title\": \"T\",").replace("\"camEnabled\": true", "\"camEnabled\": 1")),
                400, "operators[0].camEnabled is required and must be true or false");
    }

    @Test
    void operators_and_surveys_are_listed() {
        JsonNode operators = json(http.flowGet("/operators"));
        JsonNode surveys = json(http.flowGet("/reports/events/sessions/surveys/past-onboarding"));

        assertThat(operators).hasSize(3);
        assertThat(fieldNames(operators.get(0))).containsExactly("id", "email", "firstName", "lastName", "permission");
        assertThat(operators.get(0).get("permission").asInt()).isEqualTo(10);
        assertThat(surveys).extracting(survey -> survey.get("id").asText()).containsExactly("svy-onb-feedback", "svy-onb-nps");
        assertThat(surveys.get(0).get("questions")).hasSize(3);
        assertThat(json(http.flowGet("/reports/events/sessions/surveys/past-security"))).hasSize(1);
    }

    @Test
    void sample_registrants_carry_utf8_names_and_extra_fields() {
        JsonNode registrants = json(http.flowGet("/reports/events/sessions/registrants/past-onboarding"));

        assertThat(registrants).hasSize(8);
        assertThat(registrants.get(0).get("firstName").asText()).isEqualTo("Zoë");
        assertThat(registrants.get(0).get("lastName").asText()).isEqualTo("Ångström");
        assertThat(registrants.get(2).get("lastName").asText()).isEqualTo("李");
        assertThat(registrants.get(0).has("company")).isTrue();
        assertThat(registrants.get(0).get("answers").get(0).get("answer").asText()).isEqualTo("Customer success, EMEA");
    }

    @Test
    void an_unknown_path_answers_404_json_and_a_wrong_method_405() {
        HttpResponse<String> unknown = http.flowGet("/events/unknown");
        HttpResponse<String> wrongMethod = http.flowPost("/operators", "{}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).has("message")).isTrue();
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(http.get("/elsewhere").statusCode()).isEqualTo(404);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).get("message").asText()).isEqualTo(message);
    }

    private static String registration(String email, String sessionToken, boolean redirect) {
        return "{\"email\": \"" + email + "\", \"firstName\": \"Ada\", \"lastName\": \"Lovelace\", \"eventSessionToken\": \""
                + sessionToken + "\", \"redirect\": " + redirect + "}";
    }

    /** A valid POST /events body, with {@code title} given as a JSON member (or left out). */
    private static String newEvent(String title) {
        return "{" + title + " \"creatorID\": 102, \"description\": \"Partners only\", \"date\": \"2027-03-01\","
                + " \"time\": \"09:30:00\", \"timezone\": \"Europe/Paris\", \"duration\": 2, \"onDemandReplays\": true,"
                + " \"operators\": [{\"id\": 102, \"role\": 10, \"micEnabled\": true, \"camEnabled\": true,"
                + " \"screenSharingEnabled\": false}]}";
    }

    static List<String> tokens(JsonNode sessions) {
        List<String> tokens = new ArrayList<>();
        sessions.forEach(session -> tokens.add(session.get("token").asText()));
        return tokens;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
