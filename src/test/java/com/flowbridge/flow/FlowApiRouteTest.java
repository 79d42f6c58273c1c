package com.flowbridge.flow;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.observe.FlowReachability;
import com.flowbridge.observe.Metrics;
import com.flowbridge.sandbox.FaultRule;
import com.flowbridge.sandbox.FlowSandbox;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped routes/flow-api.camel.yaml on its own (with its retries, from error-handling.camel.yaml), against the FLOW sandbox over HTTP. */
class FlowApiRouteTest extends CamelTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static FlowSandbox sandbox;

    @BeforeAll
    static void startSandbox() {
        sandbox = FlowSandbox.start("127.0.0.1", 0, "route-test-secret");
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void resetSandbox() {
        sandbox.state().reset();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        Properties properties = new Properties();
        properties.put("flow.base.url", sandbox.baseUrl());
        properties.put("flow.api.rate-limit", "5");
        context.getPropertiesComponent().setOverrideProperties(properties);
        return context;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        FlowRetryPolicy policy = new FlowRetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(5));
        FlowApiSecret secret = FlowApiSecret.resolve(key -> Optional.of("route-test-secret").filter(v -> key.equals(FlowApiSecret.PROPERTY)));
        Metrics metrics = new Metrics(context);
        registry.bind("flowRequests", new FlowRequests(JSON, policy, metrics, new FlowReachability()));
        registry.bind("flowBudget", new FlowBudget(new FlowBudget.Settings(5, 10, 0.9, Duration.ofMinutes(5), 64, 2.0),
            Duration.ofSeconds(5), metrics));
        registry.bind("flowHttpClient", new FlowHttpClient(secret, URI.create(sandbox.baseUrl())));
        registry.bind("flowHeaderFilter", new FlowHeaderFilter());
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        // The door's retries (the flow-api-retries route configuration, with the other error handling), and the door.
        Collection<RoutesBuilder> yaml = PluginHelper.getRoutesLoader(context).findRoutesBuilders(
            ResourceHelper.resolveResource(context, "file:routes/error-handling.camel.yaml"),
            ResourceHelper.resolveResource(context, "file:routes/flow-api.camel.yaml"));
        return yaml.toArray(RoutesBuilder[]::new);
    }

    @Test
    void a_get_returns_flows_answer_with_status_and_attempts_and_only_those_headers() {
        Exchange exchange = call(Map.of("FlowEndpoint", "session-info", "FlowPath", "/events/sessions/public/{sessionToken}",
            "FlowSessionToken", "live-townhall", "X-From-Kafka", "must-not-reach-flow"), null);

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getBody(String.class)).contains("\"token\":\"live-townhall\"");
        assertThat(exchange.getMessage().getHeader(FlowHeaders.STATUS)).isEqualTo(200);
        assertThat(exchange.getMessage().getHeader(FlowHeaders.ATTEMPTS)).isEqualTo(1);
        assertThat(exchange.getMessage().getHeaders().keySet())
            .as("no FLOW response header, no request plumbing, no secret")
            .containsExactlyInAnyOrder("X-From-Kafka", FlowHeaders.STATUS, FlowHeaders.ATTEMPTS);
        var request = sandbox.state().requests("GET", "/events/sessions/public/live-townhall").get(0);
        assertThat(request.apiSecretValid()).isTrue();
        assertThat(request.headers().keySet()).noneMatch(name -> name.equalsIgnoreCase("X-From-Kafka") || name.startsWith("Flow"));
    }

    @Test
    void a_503_twice_then_success_takes_three_attempts_sending_the_same_post_each_time() {
        sandbox.state().addFault(fault("{\"method\":\"POST\",\"path\":\"/registrants\",\"status\":503,\"times\":2}"));
        String body = "{\"email\":\"ada@example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"eventSessionToken\":\"live-townhall\"}";

        Exchange exchange = call(Map.of("FlowEndpoint", "registration", "FlowPath", "/registrants", "FlowMethod", "POST",
            "FlowCommandId", "cmd-1"), body);

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(FlowHeaders.ATTEMPTS)).isEqualTo(3);
        assertThat(sandbox.state().requests("POST", "/registrants")).hasSize(3)
            .allSatisfy(request -> assertThat(request.body()).isEqualTo(body));
        assertThat(sandbox.state().postsByCommandId()).containsEntry("cmd-1", 3L);
        assertThat(sandbox.state().registrants("live-townhall")).anyMatch(r -> r.path("email").asText().equals("ada@example.com"));
    }

    @Test
    void a_429_with_retry_after_is_waited_out() {
        sandbox.state().addFault(fault("{\"path\":\"/operators\",\"status\":429,\"retryAfter\":\"1\",\"times\":1}"));

        long started = System.nanoTime();
        Exchange exchange = call(Map.of("FlowPath", "/operators"), null);

        assertThat(exchange.getException()).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(exchange.getMessage().getHeader(FlowHeaders.ATTEMPTS)).isEqualTo(2);
    }

    @Test
    void a_4xx_is_final_at_once_with_flows_own_message() {
        Exchange exchange = call(Map.of("FlowEndpoint", "session-info", "FlowPath", "/events/sessions/public/{sessionToken}",
            "FlowSessionToken", "no-such-session"), null);

        assertThat(exchange.getException()).isInstanceOfSatisfying(FlowCallException.class, failure -> {
            assertThat(failure).isNotInstanceOf(FlowRetryableException.class);
            assertThat(failure.status()).isEqualTo(404);
            assertThat(failure.flowMessage()).isEqualTo("Session not found");
            assertThat(failure.attempts()).isEqualTo(1);
        });
        assertThat(sandbox.state().requestCount("GET", "/events/sessions/public/no-such-session")).isEqualTo(1);
    }

    @Test
    void retries_stop_after_the_configured_attempts_and_say_so() {
        sandbox.state().addFault(fault("{\"path\":\"/operators\",\"status\":502}"));

        Exchange exchange = call(Map.of("FlowEndpoint", "operators", "FlowPath", "/operators"), null);

        assertThat(exchange.getException()).isInstanceOfSatisfying(FlowRetryableException.class, failure -> {
            assertThat(failure.status()).isEqualTo(502);
            assertThat(failure.attempts()).isEqualTo(3);
            assertThat(failure.getMessage()).isEqualTo("FLOW operators call failed: HTTP 502 (HTTP 502 without an explanation)");
        });
        assertThat(sandbox.state().requestCount("GET", "/operators")).isEqualTo(3);
    }

    @Test
    void a_dropped_connection_is_retried() {
        sandbox.state().addFault(fault("{\"path\":\"/operators\",\"dropConnection\":true,\"times\":1}"));

        Exchange exchange = call(Map.of("FlowPath", "/operators"), null);

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(FlowHeaders.ATTEMPTS)).isEqualTo(2);
    }

    @Test
    void every_caller_shares_one_rate_limit() throws Exception {
        long started = System.nanoTime();
        Thread[] callers = new Thread[2];
        for (int i = 0; i < callers.length; i++) {
            callers[i] = new Thread(() -> {
                for (int call = 0; call < 6; call++) {
                    call(Map.of("FlowPath", "/operators"), null);
                }
            });
            callers[i].start();
        }
        for (Thread caller : callers) {
            caller.join();
        }

        // 12 calls at 5 per second: at least two full periods of waiting, whichever route they come from.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(sandbox.state().requestCount("GET", "/operators")).isEqualTo(12);
    }

    @Test
    void a_call_without_a_path_is_a_programming_error_not_a_flow_call() {
        assertThatThrownBy(() -> template.requestBody("direct:flow-api", (Object) ""))
            .isInstanceOf(CamelExecutionException.class).hasRootCauseMessage("A call to direct:flow-api needs the FlowPath header");
    }

    private Exchange call(Map<String, Object> headers, String body) {
        return template.request("direct:flow-api", exchange -> {
            exchange.getMessage().setHeaders(new java.util.HashMap<>(headers));
            exchange.getMessage().setBody(body);
        });
    }

    private static FaultRule fault(String json) {
        try {
            return FaultRule.fromJson(JSON.readTree(json));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
