package com.flowbridge.flow;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.observe.FlowReachability;
import com.flowbridge.observe.Metrics;
import com.flowbridge.sandbox.FaultRule;
import com.flowbridge.sandbox.FlowSandbox;
import com.flowbridge.sandbox.RecordedRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The shared FLOW budget as the shipped routes/flow-api.camel.yaml runs it, against the FLOW sandbox over HTTP with a
 * rate limit of its own ({@code POST /sandbox/rate-limit}) and injected 503s: the rate is found, backs off and
 * recovers, commands go first, Retry-After is never undercut, the ceiling holds.
 */
class FlowBudgetRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "route-test-secret";
    private static FlowSandbox sandbox;

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final AtomicBoolean calling = new AtomicBoolean(true);
    private Door door;

    @BeforeAll
    static void startSandbox() {
        sandbox = FlowSandbox.start("127.0.0.1", 0, SECRET);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void resetSandbox() {
        sandbox.state().reset();
    }

    @AfterEach
    void stop() throws Exception {
        calling.set(false);
        callers.shutdown();
        callers.awaitTermination(20, TimeUnit.SECONDS);
        if (door != null) {
            door.close();
        }
    }

    @Test
    void the_rate_backs_off_on_429_settles_under_flows_limit_and_finds_more_when_flow_allows_more() throws Exception {
        sandbox.state().setRateLimit(20, "1", null, null);
        door = Door.open(settings(1000, Duration.ofSeconds(6)));
        keepCalling(8, "operators", "/operators");

        Thread.sleep(2500);
        double learned = door.budget.learnedRate();
        double settled = door.budget.allowedRate();
        sandbox.state().clearRequests();
        Thread.sleep(2000);
        long servedInTwoSeconds = sandbox.state().requests().stream().filter(r -> r.status() == 200).count();
        long refusedInTwoSeconds = sandbox.state().requests().stream().filter(r -> r.status() == 429).count();
        long refusedInAll = (long) door.counter("flowbridge.flow.refused");

        assertThat(learned).as("what FLOW let through when it refused").isCloseTo(20, within(3.0));
        assertThat(settled).as("0.9 of it (or 5 % lower once or twice, for requests that bunched up on the way)")
            .isBetween(15.5, 18.5);
        // Settled: at most one more refusal (and its Retry-After pause) on a machine busy enough to bunch requests up.
        assertThat(servedInTwoSeconds).as("served in 2 s, settled").isBetween(16L, 42L);
        assertThat(refusedInTwoSeconds).as("refused once settled").isLessThanOrEqualTo(2);
        assertThat(refusedInAll).as("refused while learning").isBetween(1L, 12L);

        // FLOW allows more: once the probe interval (6 s) has passed, the rate goes above what it learned.
        sandbox.state().clearRateLimit();
        await(() -> door.budget.allowedRate() > 40, "the rate above the limit FLOW no longer has");
    }

    @Test
    void the_rate_backs_off_on_503_and_recovers_when_flow_answers_well_again() throws Exception {
        door = Door.open(settings(1000, Duration.ofMinutes(5)));
        keepCalling(8, "operators", "/operators");
        Thread.sleep(1500);
        double before = door.budget.allowedRate();

        sandbox.state().addFault(fault("{\"path\":\"/operators\",\"status\":503}"));
        Thread.sleep(3500);
        double during = door.budget.allowedRate();
        sandbox.state().clearFaults();

        assertThat(before).as("grown while FLOW answered well").isGreaterThanOrEqualTo(80);
        assertThat(during).as("halved once a second while FLOW refused everything").isLessThanOrEqualTo(before / 2);
        // Slow start again (doubling every 100 ms while requests wait): a second or so, longer on a busy machine.
        await(() -> door.budget.allowedRate() >= before, "the rate grown back to " + before);
        assertThat(door.budget.learnedRate()).as("an outage is not a limit").isNaN();
    }

    @Test
    void a_command_overtakes_a_queue_of_poll_requests() throws Exception {
        door = Door.open(settings(5, Duration.ofMinutes(5)));
        List<Future<?>> polls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            polls.add(callers.submit(() -> door.call(Map.of("FlowEndpoint", "registrants",
                "FlowPath", "/reports/events/sessions/registrants/{sessionToken}", "FlowSessionToken", "live-townhall"), null)));
        }
        await(() -> door.budget.waiting(FlowPriority.POLL) >= 10, "10 polls waiting");

        long started = System.nanoTime();
        Exchange registration = door.call(Map.of("FlowEndpoint", "registration", "FlowPath", "/registrants", "FlowMethod", "POST"),
            "{\"email\":\"ada@example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"eventSessionToken\":\"live-townhall\"}");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        for (Future<?> poll : polls) {
            poll.get(10, TimeUnit.SECONDS);
        }

        assertThat(registration.getException()).isNull();
        assertThat(took).as("at 5 requests/s, behind at most the poll already due (the queue would take 2 s)")
            .isLessThan(Duration.ofMillis(1000));
        List<String> order = sandbox.state().requests().stream().map(RecordedRequest::method).toList();
        assertThat(order.indexOf("POST")).as("position of the registration among 13 requests " + order).isLessThanOrEqualTo(3);
    }

    @Test
    void retry_after_is_never_undercut_by_any_request() throws Exception {
        sandbox.state().setRateLimit(4, "2", null, null);
        door = Door.open(settings(1000, Duration.ofMinutes(5)));
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(callers.submit(() -> door.call(Map.of("FlowEndpoint", "operators", "FlowPath", "/operators"), null)));
        }
        for (Future<?> call : calls) {
            call.get(30, TimeUnit.SECONDS);
        }

        List<RecordedRequest> log = sandbox.state().requests();
        List<Instant> refusals = log.stream().filter(r -> r.status() == 429).map(r -> Instant.parse(r.time())).toList();
        assertThat(refusals).as("FLOW refused at least once").isNotEmpty();
        for (Instant refused : refusals) {
            // Requests already on their way when FLOW refused may arrive just after; none sent later may come sooner.
            List<Instant> tooSoon = log.stream().map(r -> Instant.parse(r.time()))
                .filter(t -> t.isAfter(refused.plusMillis(100)) && t.isBefore(refused.plusMillis(1950))).toList();
            assertThat(tooSoon).as("requests within Retry-After: 2 of the 429 at " + refused).isEmpty();
        }
        assertThat(log.stream().filter(r -> r.status() == 200)).as("every call served in the end").hasSize(12);
    }

    @Test
    void a_retry_after_beyond_the_longest_wait_fails_the_call_at_once_and_holds_the_others_back() {
        sandbox.state().addFault(fault("{\"path\":\"/operators\",\"status\":429,\"retryAfter\":\"3600\",\"times\":1}"));
        door = Door.open(settings(1000, Duration.ofMinutes(5)));

        Exchange refused = door.call(Map.of("FlowEndpoint", "operators", "FlowPath", "/operators"), null);
        Exchange next = door.call(Map.of("FlowEndpoint", "sessions", "FlowPath", "/events/sessions"), null);

        assertThat(refused.getException()).isInstanceOfSatisfying(FlowRetryableException.class, failure -> {
            assertThat(failure.status()).isEqualTo(429);
            assertThat(failure.attempts()).isEqualTo(1);
            assertThat(failure.flowMessage()).contains("Retry-After", "flow.api.retry-after-max");
        });
        assertThat(next.getException()).isInstanceOfSatisfying(FlowRetryableException.class, failure ->
            assertThat(failure.getMessage()).contains("longer than flow.api.retry-after-max"));
        assertThat(sandbox.state().requests()).as("the second call never reached FLOW").hasSize(1);
        assertThat(door.counter("flowbridge.flow.refused")).isEqualTo(1);
    }

    @Test
    void the_ceiling_holds_whatever_flow_allows() throws Exception {
        door = Door.open(settings(20, Duration.ofSeconds(1)));
        keepCalling(16, "sessions", "/events/sessions");

        Thread.sleep(3500);
        calling.set(false);

        List<Instant> times = sandbox.state().requests().stream().map(r -> Instant.parse(r.time())).sorted().toList();
        assertThat(times.size()).as("about 20 a second for 3.5 s").isBetween(55, 75);
        for (int i = 0; i + 21 < times.size(); i++) {
            // 20 a second, a request at most 20 ms early: 22 requests never fit in one second (checked over 900 ms,
            // allowing for the threads and the network between the budget and the time FLOW records).
            assertThat(Duration.between(times.get(i), times.get(i + 21))).isGreaterThan(Duration.ofMillis(900));
        }
        assertThat(door.budget.allowedRate()).isEqualTo(20);
    }

    private static FlowBudget.Settings settings(double ceiling, Duration probeInterval) {
        return new FlowBudget.Settings(ceiling, 10, 0.9, probeInterval, 64, 2.0);
    }

    private void keepCalling(int threads, String endpoint, String path) {
        for (int i = 0; i < threads; i++) {
            callers.submit(() -> {
                while (calling.get()) {
                    door.call(Map.of("FlowEndpoint", endpoint, "FlowPath", path), null);
                }
            });
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static FaultRule fault(String json) {
        try {
            return FaultRule.fromJson(JSON.readTree(json));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** routes/flow-api.camel.yaml in a Camel context of its own, with the beans it needs and the budget under test. */
    private static final class Door implements AutoCloseable {
        final CamelContext context;
        final FlowBudget budget;
        final Metrics metrics;
        final ProducerTemplate template;

        private Door(CamelContext context, FlowBudget budget, Metrics metrics) {
            this.context = context;
            this.budget = budget;
            this.metrics = metrics;
            this.template = context.createProducerTemplate();
        }

        static Door open(FlowBudget.Settings settings) {
            try {
                CamelContext context = new DefaultCamelContext();
                Properties properties = new Properties();
                properties.put("flow.base.url", sandbox.baseUrl());
                context.getPropertiesComponent().setOverrideProperties(properties);
                FlowRetryPolicy policy = new FlowRetryPolicy(5, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(5));
                FlowApiSecret secret = FlowApiSecret.resolve(key -> Optional.of(SECRET).filter(v -> key.equals(FlowApiSecret.PROPERTY)));
                Metrics metrics = new Metrics(context);
                FlowBudget budget = new FlowBudget(settings, Duration.ofSeconds(5), metrics);
                context.getRegistry().bind("flowRequests", new FlowRequests(JSON, policy, metrics, new FlowReachability()));
                context.getRegistry().bind("flowHttpClient", new FlowHttpClient(secret, URI.create(sandbox.baseUrl())));
                context.getRegistry().bind("flowHeaderFilter", new FlowHeaderFilter());
                context.getRegistry().bind("flowBudget", budget);
                // The door's retries (the flow-api-retries route configuration, with the other error handling), and the door.
                Collection<RoutesBuilder> yaml = PluginHelper.getRoutesLoader(context).findRoutesBuilders(
                    ResourceHelper.resolveResource(context, "file:routes/error-handling.camel.yaml"),
                    ResourceHelper.resolveResource(context, "file:routes/flow-api.camel.yaml"));
                for (RoutesBuilder routes : yaml) {
                    context.addRoutes(routes);
                }
                context.start();
                return new Door(context, budget, metrics);
            } catch (Exception e) {
                throw new IllegalStateException("The FLOW routes did not start", e);
            }
        }

        Exchange call(Map<String, Object> headers, String body) {
            return template.request("direct:flow-api", exchange -> {
                exchange.getMessage().setHeaders(new HashMap<>(headers));
                exchange.getMessage().setBody(body);
            });
        }

        double counter(String name) {
            var counters = metrics.registry().find(name).counters();
            return counters.stream().mapToDouble(c -> c.count()).sum();
        }

        @Override
        public void close() throws Exception {
            context.close();
        }
    }
}
