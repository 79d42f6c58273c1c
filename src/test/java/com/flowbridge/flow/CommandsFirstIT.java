package com.flowbridge.flow;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.flowbridge.observe.Metrics;
import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestBridge;
import com.flowbridge.webhook.WebhookAuth;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole of flow-bridge (shipped routes, real broker, the sandbox over HTTP) under a FLOW quota it has to find:
 * registrations a CRM waits for ({@code ?wait=true}) are carried out while a registrants scan of many sessions keeps
 * every FLOW request it may send busy, and do not wait for that scan.
 */
class CommandsFirstIT extends SandboxTest {

    private static final String SECRET = "it-webhook-secret";
    private static final String REGISTRANTS = "/reports/events/sessions/registrants/";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_registration_a_crm_waits_for_goes_ahead_of_a_registrants_scan_under_flows_quota() throws Exception {
        flow().generate(150, 2, 1);
        // 20 a second, 429 beyond it without Retry-After: what is measured here is the order of the line, not the pause
        // every request takes after a Retry-After (FlowBudgetRouteTest covers that).
        flow().setRateLimit(20, null, null, null);
        int port = BridgeProcess.freePort();
        // 16 poll requests at once: a registrants scan that always has a queue of requests waiting for the quota.
        TestBridge bridge = startBridge(Map.of("webhook.port", String.valueOf(port), "webhook.secret", SECRET,
            "flow.poll.event-info", "none", "flow.poll.concurrency", "16"));
        // Not measured: the first command also waits for the command consumers to be given their partitions.
        assertThat(post(port, "{\"email\":\"first@example.com\",\"firstName\":\"First\",\"lastName\":\"One\","
            + "\"eventSessionToken\":\"gen-00002\"}").statusCode()).isEqualTo(200);
        long scanStart = awaitRegistrantGets(30);

        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String body = "{\"email\":\"waiting-" + i + "@example.com\",\"firstName\":\"Wait\",\"lastName\":\"Ing\","
                + "\"eventSessionToken\":\"gen-00001\"}";
            long started = System.nanoTime();
            HttpResponse<String> answer = post(port, body);
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(value(answer.body())).contains("\"status\":\"registered\"");
        }
        long scanned = flow().requestCount("GET", REGISTRANTS) - scanStart;

        Metrics metrics = bridge.context().getRegistry().lookupByNameAndType("metrics", Metrics.class);
        Timer commandWaits = metrics.registry().find("flowbridge.flow.rate.limit.wait").tag("priority", "command").timer();
        Timer pollWaits = metrics.registry().find("flowbridge.flow.rate.limit.wait").tag("priority", "poll").timer();
        FlowBudget budget = bridge.context().getRegistry().lookupByNameAndType("flowBudget", FlowBudget.class);

        assertThat(scanned).as("registrant lists fetched while the registrations were carried out").isGreaterThan(10);
        assertThat(budget.learnedRate()).as("FLOW's quota, found").isBetween(15.0, 22.0);
        assertThat(pollWaits.mean(TimeUnit.MILLISECONDS)).as("a poll request's wait for its turn").isGreaterThan(300);
        assertThat(commandWaits.count()).as("attempts (one more for a registration FLOW refused)").isBetween(6L, 8L);
        assertThat(commandWaits.mean(TimeUnit.MILLISECONDS)).as("a registration's wait for its turn").isLessThan(150);
        assertThat(commandWaits.max(TimeUnit.MILLISECONDS)).as("a registration's longest wait").isLessThan(1000);
        assertThat(millis).as("each registration, webhook to outcome").allMatch(ms -> ms < 2000);
    }

    /** Waits until the registrants scan is under way; returns how many registrant lists FLOW had been asked for. */
    private long awaitRegistrantGets(int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (flow().requestCount("GET", REGISTRANTS) < atLeast) {
            assertThat(System.nanoTime()).as("the registrants scan started").isLessThan(deadline);
            Thread.sleep(50);
        }
        return flow().requestCount("GET", REGISTRANTS);
    }

    private HttpResponse<String> post(int port, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/registrations?wait=true"))
            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
            .header(WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature(SECRET, bytes))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String value(String json) {
        return json.replace(" ", "");
    }
}
