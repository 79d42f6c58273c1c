package com.flowbridge.contracts;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

import com.flowbridge.testing.HttpContract;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The answer checker the integration tests send through: documented answers pass, anything else fails saying why. */
class HttpContractTest {

    private static final URI REGISTRATIONS = URI.create("http://127.0.0.1:8080/webhooks/registrations");
    private static final Optional<String> JSON = Optional.of("application/json");

    private final HttpContract contract = HttpContract.get();

    @Test
    void a_documented_answer_passes() {
        assertThatCode(() -> contract.check("POST", REGISTRATIONS, 202, JSON, none(),
            "{\"commandId\":\"8c5e0b0e-1f2a-5b3c-9d4e-5f6a7b8c9d0e\",\"status\":\"accepted\"}")).doesNotThrowAnyException();
        assertThatCode(() -> contract.check("POST", URI.create("http://127.0.0.1:8080/reports/past-onboarding"), 409,
            Optional.of("application/json; charset=utf-8"), none(), "{\"error\":\"session live-townhall has not ended\"}"))
            .doesNotThrowAnyException();
        assertThatCode(() -> contract.check("POST", REGISTRATIONS, 431, Optional.empty(), none(), "")).doesNotThrowAnyException();
    }

    @Test
    void an_undocumented_status_fails_naming_the_documented_ones() {
        assertThatThrownBy(() -> contract.check("POST", REGISTRATIONS, 418, JSON, none(), "{}")).isInstanceOf(AssertionError.class)
            .hasMessageContaining("status 418 is not documented for POST /webhooks/registrations")
            .hasMessageContaining("202");
    }

    @Test
    void a_body_that_breaks_its_schema_fails_naming_the_field() {
        assertThatThrownBy(() -> contract.check("POST", REGISTRATIONS, 400, JSON, none(), "{\"errors\":[{\"field\":\"email\"}]}"))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("/errors/0")
            .hasMessageContaining("message");
    }

    @Test
    void a_missing_required_header_an_undocumented_media_type_or_an_unexpected_body_fails() {
        String refusal = "{\"errors\":[{\"field\":null,\"message\":\"flow-bridge could not take the request now\"}]}";
        assertThatThrownBy(() -> contract.check("POST", REGISTRATIONS, 503, JSON, none(), refusal))
            .hasMessageContaining("the documented header Retry-After is missing");
        assertThatThrownBy(() -> contract.check("POST", REGISTRATIONS, 400, Optional.of("text/html"), none(), "<p>no</p>"))
            .hasMessageContaining("Content-Type text/html is not documented");
        assertThatThrownBy(() -> contract.check("POST", REGISTRATIONS, 431, Optional.empty(), none(), "too large"))
            .hasMessageContaining("gives this answer no body");
    }

    @Test
    void a_path_or_method_the_document_does_not_have_fails() {
        assertThatThrownBy(() -> contract.check("GET", REGISTRATIONS, 405, Optional.empty(), none(), ""))
            .hasMessageContaining("has no GET for /webhooks/registrations");
        assertThatThrownBy(() -> contract.check("POST", URI.create("http://127.0.0.1:8080/webhooks/unknown"), 404, Optional.empty(), none(), ""))
            .hasMessageContaining("the path is not in contracts/openapi.yaml");
    }

    private static HttpContract.HeaderPresence none() {
        Set<String> present = Set.of();
        return present::contains;
    }
}
