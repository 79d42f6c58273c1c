package com.flowbridge.sandbox;

import static com.flowbridge.sandbox.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The CSV reports: awkward sample bytes served verbatim, and a generated million rows streamed. */
class SandboxReportsTest extends RunningSandbox {

    private static final String REPORTS = "/reports/events/sessions";
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @Test
    void the_onboarding_registrants_csv_keeps_its_bom_crlf_rows_and_quoted_line_break() {
        HttpResponse<byte[]> response = http.flowGetBytes(REPORTS + "/registrants/csv/past-onboarding");
        String text = new String(response.body(), StandardCharsets.UTF_8);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(response.body()).startsWith(BOM).isEqualTo(sample("past-onboarding-registrants.csv"));
        assertThat(text).contains("registrationDate,company,jobTitle,country,attended,What is your role?\r\n")
                .contains("\"Product\r\nand design\"\r\n")
                .contains("\"O'Brien \"\"The Quoted\"\" Ltd\"")
                .contains("\"Núñez & Hijos, S.L.\"")
                .contains(",雷,李,");
    }

    @Test
    void the_onboarding_attendee_chat_has_lf_rows_a_quoted_lf_and_blank_trailing_lines() {
        byte[] body = http.flowGetBytes(REPORTS + "/chat/attendees/csv/past-onboarding").body();
        String text = new String(body, StandardCharsets.UTF_8);

        assertThat(body).isEqualTo(sample("past-onboarding-attendee-chat.csv"));
        assertThat(text).doesNotContain("\r").contains("\"First line\nsecond line of the same message\"\n").endsWith("👏\n\n\n");
    }

    @Test
    void the_onboarding_operator_chat_is_a_header_row_only() {
        byte[] body = http.flowGetBytes(REPORTS + "/chat/operators/csv/past-onboarding").body();

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("timestamp,operator,message\r\n");
    }

    @Test
    void the_feedback_survey_has_a_duplicate_and_an_empty_header_name() {
        byte[] body = http.flowGetBytes(REPORTS + "/surveys/past-onboarding/svy-onb-feedback/csv").body();
        String header = new String(body, StandardCharsets.UTF_8).lines().findFirst().orElseThrow();

        assertThat(body).isEqualTo(sample("past-onboarding-survey-feedback.csv"));
        assertThat(header).isEqualTo(
                "email,name,How useful was this session?,,What should we cover next?,What should we cover next?");
    }

    @Test
    void the_security_reports_have_ragged_rows_lf_ends_and_a_bom_with_quoted_crlf() {
        String registrants = new String(http.flowGetBytes(REPORTS + "/registrants/csv/past-security").body(), StandardCharsets.UTF_8);
        byte[] chat = http.flowGetBytes(REPORTS + "/chat/attendees/csv/past-security").body();

        assertThat(registrants).doesNotContain("\r")
                .contains("\"Nile Data, Inc.\",EG,extra-field-1,extra-field-2\n")
                .contains("olafur.arnalds@example.is,Ólafur,Arnalds,2026-08-22T18:45:00Z\n");
        assertThat(chat).startsWith(BOM).isEqualTo(sample("past-security-attendee-chat.csv"));
        assertThat(new String(chat, StandardCharsets.UTF_8)).contains("\"Two questions:\r\n1) key rotation\r\n2) audit logs\"\r\n");
    }

    @Test
    void the_compiled_report_carries_every_report_as_the_same_text() {
        JsonNode compiled = json(http.flowGet(REPORTS + "/csv/past-onboarding"));

        assertThat(compiled.get("registrants").asText()).isEqualTo(sampleText("past-onboarding-registrants.csv")).startsWith("\uFEFF");
        assertThat(compiled.get("attendeeChat").asText()).isEqualTo(sampleText("past-onboarding-attendee-chat.csv"));
        assertThat(compiled.get("operatorChat").asText()).isEqualTo("timestamp,operator,message\r\n");
        assertThat(compiled.get("surveys").get("svy-onb-feedback").asText()).isEqualTo(sampleText("past-onboarding-survey-feedback.csv"));
        assertThat(compiled.get("surveys").get("svy-onb-nps").asText()).isEqualTo(sampleText("past-onboarding-survey-nps.csv"));
        assertThat(compiled.get("surveys")).hasSize(2);
    }

    @Test
    void reports_are_refused_until_the_session_has_ended() {
        HttpResponse<String> compiled = http.flowGet(REPORTS + "/csv/live-townhall");
        HttpResponse<String> perKind = http.flowGet(REPORTS + "/registrants/csv/future-roadmap-1");

        for (HttpResponse<String> response : java.util.List.of(compiled, perKind)) {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(json(response).get("message").asText()).isEqualTo("Reports are available once the session has ended");
        }
        assertThat(http.flowGet(REPORTS + "/surveys/past-security/no-such-survey/csv").statusCode()).isEqualTo(404);
    }

    @Test
    void a_session_that_ends_without_a_registrants_report_gets_one_from_its_registrant_list() {
        http.control("PATCH", "/sessions/live-townhall", "{\"accessStatus\": 3}");

        String csv = http.flowGet(REPORTS + "/registrants/csv/live-townhall").body();

        assertThat(csv).startsWith("email,firstName,lastName,registrationDate,loginUrl\r\n")
                .contains("beatriz.goncalves@example.br,Beatriz,Gonçalves,2026-10-23T13:40:00Z,http://");
        assertThat(csv.split("\r\n")).hasSize(6);
        assertThat(http.flowGet(REPORTS + "/chat/operators/csv/live-townhall").body()).isEqualTo("timestamp,operator,message\r\n");
    }

    @Test
    void a_report_put_over_the_control_api_is_served_byte_for_byte() {
        String csv = "\uFEFFa,b,,b\r\n\"x,\"\"y\"\"\",\"multi\nline\"\r\n1,2,3,4,5\r\n\r\n";
        http.control("PUT", "/sessions/past-security/reports/operatorChat", csv);
        http.control("PUT", "/sessions/past-security/reports/survey:svy-new", "q\n1\n");

        assertThat(http.flowGetBytes(REPORTS + "/chat/operators/csv/past-security").body())
                .isEqualTo(csv.getBytes(StandardCharsets.UTF_8));
        assertThat(json(http.flowGet(REPORTS + "/csv/past-security")).get("surveys").get("svy-new").asText()).isEqualTo("q\n1\n");
        assertThat(json(http.flowGet(REPORTS + "/surveys/past-security"))).hasSize(2);
        assertThat(http.control("PUT", "/sessions/past-security/reports/minutes", "x").statusCode()).isEqualTo(400);
    }

    @Test
    void a_generated_million_row_report_streams_row_by_row_and_the_compiled_report_refuses_it() throws IOException {
        http.control("POST", "/sessions/past-security/reports/registrants/generate", "{\"rows\": 1000000}");

        HttpResponse<InputStream> response = http.flowGetStream(REPORTS + "/registrants/csv/past-security");
        long lines = 0;
        String tenth = null;
        String last = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines++;
                tenth = lines == 11 ? line : tenth;
                last = line;
            }
        }

        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        assertThat(lines).isEqualTo(1_000_001);
        assertThat(tenth).isEqualTo("user10@example.test,First10,Last10,2026-01-01T00:00:10Z,\"Company 10, Ltd.\"");
        assertThat(last).startsWith("user1000000@example.test,");
        HttpResponse<String> compiled = http.flowGet(REPORTS + "/csv/past-security");
        assertThat(compiled.statusCode()).isEqualTo(413);
        assertThat(json(compiled).get("message").asText()).isEqualTo("report too large, use the per-kind CSV endpoint");
    }

    @Test
    void a_small_generated_report_also_fits_the_compiled_report() {
        sandbox.state().generateLargeReport("past-security", "attendeeChat", 3);

        String attendeeChat = json(http.flowGet(REPORTS + "/csv/past-security")).get("attendeeChat").asText();

        assertThat(attendeeChat).isEqualTo("email,firstName,lastName,registrationDate,company\r\n"
                + "user1@example.test,First1,Last1,2026-01-01T00:00:01Z,Company 1\r\n"
                + "user2@example.test,First2,Last2,2026-01-01T00:00:02Z,Company 2\r\n"
                + "user3@example.test,First3,Last3,2026-01-01T00:00:03Z,Company 3\r\n");
    }

    private static byte[] sample(String file) {
        try (InputStream in = SandboxReportsTest.class.getResourceAsStream("/sandbox/reports/" + file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sampleText(String file) {
        return new String(sample(file), StandardCharsets.UTF_8);
    }
}
