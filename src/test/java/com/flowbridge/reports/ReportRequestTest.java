package com.flowbridge.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_request_names_a_session_and_optionally_one_report() {
        assertThat(ReportRequest.parse(JSON, "{\"sessionToken\":\"past-security\"}", null))
            .isEqualTo(new ReportRequest("past-security", null));
        ReportRequest one = ReportRequest.parse(JSON, "{\"sessionToken\":\"past-security\",\"report\":\"surveyResponses\"}", null);
        assertThat(one.kinds()).containsExactly(ReportKind.SURVEY_RESPONSES);
        assertThat(one.toJson(JSON)).isEqualTo("{\"sessionToken\":\"past-security\",\"report\":\"surveyResponses\"}");
        assertThat(new ReportRequest("s", null).kinds()).containsExactly(ReportKind.values());
    }

    @Test
    void over_http_the_session_comes_from_the_path_and_the_body_may_be_empty() {
        assertThat(ReportRequest.parse(JSON, "", "past-onboarding")).isEqualTo(new ReportRequest("past-onboarding", null));
        assertThat(ReportRequest.parse(JSON, "{\"sessionToken\":\"past-onboarding\"}", "past-onboarding").sessionToken())
            .isEqualTo("past-onboarding");
        assertThatThrownBy(() -> ReportRequest.parse(JSON, "{\"sessionToken\":\"other\"}", "past-onboarding"))
            .hasMessageContaining("sessionToken in the body (other) differs from the one in the path (past-onboarding)");
    }

    @Test
    void refusals_name_the_field_at_fault() {
        assertThatThrownBy(() -> ReportRequest.parse(JSON, "{}", null)).hasMessage("sessionToken is required");
        assertThatThrownBy(() -> ReportRequest.parse(JSON, "{\"sessionToken\": 42}", null))
            .hasMessage("sessionToken must be a non-empty string");
        assertThatThrownBy(() -> ReportRequest.parse(JSON, "{\"sessionToken\":\"s\",\"report\":\"chat\"}", null))
            .hasMessage("report must be one of registrants, attendeeChat, operatorChat, surveyResponses, not 'chat'");
        assertThatThrownBy(() -> ReportRequest.parse(JSON, "[1]", null)).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> ReportRequest.parse(JSON, "not json", null)).hasMessageContaining("is not JSON");
    }

    @Test
    void the_cloudevents_source_of_a_request_over_http_is_its_path_escaped_where_the_token_needs_it() {
        assertThat(ReportRequests.requestPath("past-onboarding")).isEqualTo("/reports/past-onboarding");
        assertThat(ReportRequests.requestPath("a b/ü")).isEqualTo("/reports/a%20b%2F%C3%BC");
        assertThat(java.net.URI.create(ReportRequests.requestPath("a b/ü?#")).getRawPath()).isEqualTo("/reports/a%20b%2F%C3%BC%3F%23");
    }
}
