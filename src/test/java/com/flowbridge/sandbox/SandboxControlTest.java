package com.flowbridge.sandbox;

import static com.flowbridge.sandbox.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The control API: faults, latency, the request log, command ids, state changes and reset. */
class SandboxControlTest extends RunningSandbox {

    private static final String REGISTRANTS = "/reports/events/sessions/registrants/";

    @Test
    void a_fault_answers_503_twice_then_the_request_is_served() {
        http.control("POST", "/faults", "{\"method\": \"GET\", \"path\": \"/events/sessions\", \"status\": 503, \"times\": 2}");

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(http.flowGet("/events/sessions").statusCode());
        }

        assertThat(statuses).containsExactly(503, 503, 200);
        assertThat(json(http.control("GET", "/faults", null)).get(0).get("remaining").asInt()).isZero();
    }

    @Test
    void a_429_fault_carries_retry_after_until_the_faults_are_cleared() {
        http.control("POST", "/faults", "{\"path\": \"/reports/events/sessions/registrants/past-security\", \"status\": 429,"
                + " \"retryAfter\": \"2\", \"body\": \"{\\\"message\\\": \\\"Too many requests\\\"}\"}");

        HttpResponse<String> first = http.flowGet(REGISTRANTS + "past-security");
        HttpResponse<String> second = http.flowGet(REGISTRANTS + "past-security");
        HttpResponse<String> otherSession = http.flowGet(REGISTRANTS + "past-onboarding");
        http.control("DELETE", "/faults", null);

        assertThat(List.of(first.statusCode(), second.statusCode())).containsExactly(429, 429);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(json(first).get("message").asText()).isEqualTo("Too many requests");
        assertThat(otherSession.statusCode()).isEqualTo(200);
        assertThat(http.flowGet(REGISTRANTS + "past-security").statusCode()).isEqualTo(200);
    }

    @Test
    void a_fault_can_answer_200_with_a_body_that_is_not_json() {
        http.control("POST", "/faults", "{\"path\": \"/events/sessions/public/.*\", \"body\": \"not json at all\", \"times\": 1}");

        HttpResponse<String> response = http.flowGet("/events/sessions/public/live-townhall");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(response.body()).isEqualTo("not json at all");
    }

    @Test
    void a_delay_only_fault_slows_the_answer_and_then_serves_it() {
        http.control("POST", "/faults", "{\"path\": \"/operators\", \"delayMs\": 400, \"times\": 1}");

        long start = System.nanoTime();
        HttpResponse<String> response = http.flowGet("/operators");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).hasSize(3);
        assertThat(millis).isGreaterThanOrEqualTo(400);
    }

    @Test
    void a_drop_connection_fault_closes_the_socket_without_an_answer() {
        http.control("POST", "/faults", "{\"method\": \"POST\", \"path\": \"/registrants\", \"dropConnection\": true}");

        assertThatThrownBy(() -> http.sendOrFail(http.flow("POST", "/registrants", "{}"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(http.flowGet("/operators").statusCode()).isEqualTo(200);
        assertThat(json(http.control("GET", "/requests?method=POST", null)).get(0).get("status").asInt()).isZero();
    }

    @Test
    void an_outage_refuses_connections_then_flow_listens_again_on_the_same_port_with_its_state() throws Exception {
        http.control("PATCH", "/sessions/live-townhall", "{\"title\": \"Before the outage\"}");

        assertThat(http.control("POST", "/outage", "{\"ms\": 1500}").statusCode()).isEqualTo(200);
        Thread.sleep(500);
        assertThatThrownBy(() -> http.sendOrFail(http.flow("GET", "/operators", null), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
        Thread.sleep(1500);

        assertThat(http.flowGet("/operators").statusCode()).isEqualTo(200);
        assertThat(json(http.control("GET", "/sessions/live-townhall", null)).get("title").asText()).isEqualTo("Before the outage");
    }

    @Test
    void latency_slows_matching_requests_until_cleared() {
        http.control("POST", "/latency", "{\"method\": \"POST\", \"path\": \"/registrants\", \"ms\": 300}");

        long slow = timed(() -> http.flowPost("/registrants", "{}"));
        http.control("POST", "/latency", "{\"ms\": 0}");
        long cleared = timed(() -> http.flowPost("/registrants", "{}"));

        assertThat(slow).isGreaterThanOrEqualTo(300);
        assertThat(cleared).isLessThan(300);
    }

    @Test
    void a_rate_limit_serves_that_many_requests_a_second_and_answers_429_with_retry_after_beyond() throws Exception {
        http.control("POST", "/rate-limit", "{\"requestsPerSecond\": 5}");

        List<HttpResponse<String>> burst = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            burst.add(http.flowGet("/operators"));
        }
        JsonNode counts = json(http.control("GET", "/rate-limit", null));
        Thread.sleep(1100);
        int afterASecond = http.flowGet("/operators").statusCode();

        assertThat(burst).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 200, 200, 429, 429, 429);
        assertThat(burst.get(5).headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(burst.get(5)).get("message").asText()).isEqualTo("Too many requests: at most 5 a second");
        assertThat(counts.get("requestsPerSecond").asInt()).isEqualTo(5);
        assertThat(counts.get("accepted").asLong()).isEqualTo(5);
        assertThat(counts.get("refused").asLong()).isEqualTo(3);
        assertThat(afterASecond).as("the window has moved on").isEqualTo(200);
        assertThat(http.control("GET", "/requests/count?path=/operators", null).body()).isEqualTo("{\"count\":9}");
    }

    @Test
    void a_rate_limit_can_refuse_without_retry_after_and_only_on_matching_requests_until_removed() {
        http.control("POST", "/rate-limit", "{\"requestsPerSecond\": 1, \"retryAfter\": null, \"method\": \"POST\", "
                + "\"path\": \"/registrants\"}");

        int first = http.flowPost("/registrants", "{}").statusCode();
        HttpResponse<String> second = http.flowPost("/registrants", "{}");
        List<Integer> gets = List.of(http.flowGet("/operators").statusCode(), http.flowGet("/operators").statusCode());
        http.control("DELETE", "/rate-limit", null);
        int afterRemoval = http.flowPost("/registrants", "{}").statusCode();

        assertThat(first).as("served (a 400 for the empty registration is FLOW's answer)").isNotEqualTo(429);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).isEmpty();
        assertThat(gets).containsExactly(200, 200);
        assertThat(afterRemoval).isNotEqualTo(429);
        assertThat(json(http.control("GET", "/rate-limit", null)).get("requestsPerSecond").isNull()).isTrue();
    }

    @Test
    void the_request_log_records_what_was_sent_but_never_the_api_secret() {
        http.flowGet("/events/sessions?period=past");
        http.send(http.request("GET", "/api/v1/operators", null).header("api-secret", "wrong"), HttpResponse.BodyHandlers.ofString());
        http.send(http.flow("POST", "/registrants", "{\"email\": \"x\"}").header("X-Trace", "t-1"), HttpResponse.BodyHandlers.ofString());

        HttpResponse<String> log = http.control("GET", "/requests", null);
        JsonNode requests = json(log);

        assertThat(log.body()).doesNotContain(SandboxHttp.SECRET).doesNotContainIgnoringCase("\"api-secret\"");
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).get("query").asText()).isEqualTo("period=past");
        assertThat(requests.get(0).get("apiSecretValid").asBoolean()).isTrue();
        assertThat(requests.get(1).get("apiSecretPresent").asBoolean()).isTrue();
        assertThat(requests.get(1).get("apiSecretValid").asBoolean()).isFalse();
        assertThat(requests.get(1).get("status").asInt()).isEqualTo(401);
        assertThat(requests.get(2).get("body").asText()).isEqualTo("{\"email\": \"x\"}");
        assertThat(requests.get(2).get("headers").get("x-trace").asText()).isEqualTo("t-1");
        assertThat(json(http.control("GET", "/requests?method=POST&path=/registrants", null))).hasSize(1);
        assertThat(json(http.control("GET", "/requests/count?path=/events", null)).get("count").asLong()).isEqualTo(1);
        assertThat(sandbox.state().requestCount("GET", null)).isEqualTo(2);
        assertThat(sandbox.state().requests().get(2).headers()).doesNotContainKey("api-secret");
    }

    @Test
    void posts_are_counted_per_command_id() {
        String registration = "{\"email\": \"ada@example.com\", \"firstName\": \"Ada\", \"lastName\": \"L\", \"eventSessionToken\": \"live-townhall\"}";
        for (String commandId : List.of("cmd-1", "cmd-1", "cmd-2")) {
            http.send(http.flow("POST", "/registrants", registration).header("X-Command-Id", commandId), HttpResponse.BodyHandlers.ofString());
        }
        http.send(http.flow("POST", "/events", "{}").header("X-Command-Id", "cmd-3"), HttpResponse.BodyHandlers.ofString());
        http.send(http.flow("GET", "/operators", null).header("X-Command-Id", "cmd-4"), HttpResponse.BodyHandlers.ofString());

        JsonNode counts = json(http.control("GET", "/registrations/by-command-id", null));

        assertThat(counts.toString()).isEqualTo("{\"cmd-1\":2,\"cmd-2\":1,\"cmd-3\":1}");
    }

    @Test
    void sessions_change_over_the_control_api_and_reset_restores_the_sample() {
        http.control("PATCH", "/sessions/future-roadmap-1", "{\"title\": \"Renamed\", \"accessStatus\": 2, \"emailMessage\": null}");
        http.control("DELETE", "/sessions/past-security", null);
        http.control("PUT", "/sessions/extra-1", "{\"title\": \"Extra\", \"accessStatus\": 3}");
        http.control("POST", "/faults", "{\"path\": \"/operators\", \"status\": 500}");
        http.control("POST", "/latency", "{\"ms\": 1000}");

        JsonNode renamed = json(http.flowGet("/events/sessions/public/future-roadmap-1"));
        assertThat(renamed.get("title").asText()).isEqualTo("Renamed");
        assertThat(renamed.has("emailMessage")).isFalse();
        assertThat(FlowSandboxTest.tokens(json(http.flowGet("/events/sessions?period=past")).get("data")))
                .containsExactly("past-onboarding", "extra-1");
        assertThat(http.control("PATCH", "/sessions/nope", "{}").statusCode()).isEqualTo(404);

        http.control("POST", "/reset", null);

        assertThat(json(http.control("GET", "/requests", null))).isEmpty();
        assertThat(json(http.control("GET", "/faults", null))).isEmpty();
        assertThat(json(http.flowGet("/events/sessions/public/future-roadmap-1")).get("title").asText()).startsWith("Product Roadmap");
        assertThat(FlowSandboxTest.tokens(json(http.control("GET", "/sessions", null)))).hasSize(5).doesNotContain("extra-1");
        assertThat(http.flowGet("/operators").statusCode()).isEqualTo(200);
        assertThat(timed(() -> http.flowGet("/operators"))).isLessThan(1000);
    }

    @Test
    void registrants_are_added_patched_and_removed_over_the_control_api() {
        http.control("POST", "/sessions/live-townhall/registrants", "{\"email\": \"Ada@Example.com\", \"attended\": true, \"vip\": \"yes\"}");
        http.control("PATCH", "/sessions/live-townhall/registrants/zoe.angstrom@example.com", "{\"company\": \"Aurora\", \"country\": null}");
        http.control("DELETE", "/sessions/live-townhall/registrants/KWAME.mensah@example.gh", null);

        JsonNode registrants = json(http.flowGet(REGISTRANTS + "live-townhall"));
        JsonNode summary = json(http.flowGet("/events/sessions?period=current")).get("data").get(0);

        assertThat(registrants).hasSize(5);
        assertThat(registrants.get(0).get("company").asText()).isEqualTo("Aurora");
        assertThat(registrants.get(0).has("country")).isFalse();
        assertThat(registrants.get(4).get("vip").asText()).isEqualTo("yes");
        assertThat(registrants.get(4).get("loginUrl").asText()).contains("/login/");
        assertThat(summary.get("attendeeCount").asInt()).isEqualTo(3);
        assertThat(http.control("DELETE", "/sessions/live-townhall/registrants/nobody@example.com", null).statusCode()).isEqualTo(404);
        assertThat(http.control("PATCH", "/sessions/live-townhall/registrants/ada@example.com", "{\"email\": \"b@example.com\"}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void generated_sessions_hold_bulk_registrants_that_can_still_be_changed() {
        http.control("POST", "/generate", "{\"sessions\": 2000, \"registrantsPerSession\": 100}");
        http.control("PATCH", "/sessions/gen-00007/registrants/attendee3.gen-00007@example.test", "{\"attended\": true}");
        http.control("DELETE", "/sessions/gen-00007/registrants/attendee1.gen-00007@example.test", null);
        JsonNode again = json(http.flowPost("/registrants",
                "{\"email\": \"ATTENDEE5.gen-00007@example.test\", \"firstName\": \"X\", \"lastName\": \"Y\", \"eventSessionToken\": \"gen-00007\"}"));

        JsonNode all = json(http.flowGet("/events/sessions")).get("data");
        JsonNode registrants = json(http.flowGet(REGISTRANTS + "gen-00007"));

        assertThat(all).hasSize(2005);
        assertThat(all.get(5).get("token").asText()).isEqualTo("gen-00001");
        assertThat(all.get(5).get("registrantCount").asInt()).isEqualTo(100);
        assertThat(registrants).hasSize(99);
        assertThat(registrants.get(0).get("email").asText()).isEqualTo("attendee2.gen-00007@example.test");
        assertThat(registrants.get(1).get("attended").asBoolean()).isTrue();
        assertThat(again.get("data").get("loginUrl").asText()).endsWith("/login/gen-00007-5");
        assertThat(json(http.flowGet("/events/sessions/public/gen-00007")).get("accessStatus").asInt()).isEqualTo(1);
        assertThat(json(http.flowGet("/events/sessions?period=past")).get("data")).hasSize(2 + 666);
    }

    @Test
    void polling_while_tests_change_the_state_sees_only_whole_answers() throws Exception {
        ExecutorService pollers = Executors.newFixedThreadPool(8);
        List<Future<List<Integer>>> polls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            polls.add(pollers.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (int j = 0; j < 50; j++) {
                    statuses.add(http.flowGet("/events/sessions").statusCode());
                    HttpResponse<String> registrants = http.flowGet(REGISTRANTS + "live-townhall");
                    statuses.add(json(registrants).isArray() ? registrants.statusCode() : -1);
                }
                return statuses;
            }));
        }
        for (int i = 0; i < 200; i++) {
            sandbox.state().addRegistrant("live-townhall", Json.object().put("email", "poll" + i + "@example.com"));
            sandbox.state().patchSession("live-townhall", Json.object().put("title", "Town Hall " + i));
        }
        for (Future<List<Integer>> poll : polls) {
            assertThat(poll.get()).containsOnly(200);
        }
        pollers.shutdown();

        assertThat(sandbox.state().registrants("live-townhall")).hasSize(205);
    }

    private static long timed(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
