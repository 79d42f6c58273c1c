import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.flow.FlowApiSecret;
import com.flowbridge.flow.FlowBudget;
import com.flowbridge.flow.FlowHeaderFilter;
import com.flowbridge.flow.FlowHttpClient;
import com.flowbridge.flow.FlowRequests;
import com.flowbridge.flow.FlowRetryPolicy;
import com.flowbridge.observe.FlowReachability;
import com.flowbridge.observe.Metrics;
import com.flowbridge.sandbox.FlowSandbox;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * The FLOW door on its own (routes/flow-api.camel.yaml with the shared budget at its default settings) against a
 * plain HTTP client, in one JVM, against one FLOW sandbox answering each POST /registrants after 20 ms: 16 threads
 * posting registrations as fast as they are answered, for SECONDS seconds each, in ROUNDS rounds alternating the two
 * (the first rounds warm the JIT up). What it shows: how much of the time between a command and FLOW is the door's.
 *
 * Arguments: rounds seconds
 */
public final class FlowDoorBench {

    private static final String SECRET = "door-bench-secret";
    private static final int THREADS = 16;

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        try (FlowSandbox sandbox = FlowSandbox.start("127.0.0.1", 0, SECRET)) {
            sandbox.state().setLatency("POST", "/registrants", 20);
            CamelContext door = door(sandbox);
            ProducerTemplate template = door.createProducerTemplate();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int round = 1; round <= rounds; round++) {
                double plain = run(seconds, body -> {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/registrants"))
                        .header("api-secret", SECRET).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    http.send(request, HttpResponse.BodyHandlers.ofString());
                });
                double viaDoor = run(seconds, body -> template.request("direct:flow-api", exchange -> {
                    exchange.getMessage().setHeaders(new HashMap<>(Map.of("FlowEndpoint", "registration",
                        "FlowPath", "/registrants", "FlowMethod", "POST")));
                    exchange.getMessage().setBody(body);
                }));
                System.out.printf(Locale.ROOT, "round %d: plain HTTP client %.0f/s, direct:flow-api %.0f/s (%.2f), load %s%n",
                    round, plain, viaDoor, viaDoor / plain, Files.readString(Path.of("/proc/loadavg")).substring(0, 14));
            }
            door.close();
        }
    }

    private interface Post {
        void send(String body) throws Exception;
    }

    private static double run(int seconds, Post post) throws Exception {
        AtomicInteger sent = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        for (int t = 0; t < THREADS; t++) {
            threads.submit(() -> {
                while (System.nanoTime() < end) {
                    int n = sent.incrementAndGet();
                    post.send("{\"email\":\"door-" + System.nanoTime() + "-" + n + "@example.com\",\"firstName\":\"Door\","
                        + "\"lastName\":\"Bench\",\"eventSessionToken\":\"live-townhall\"}");
                }
                return null;
            });
        }
        threads.shutdown();
        threads.awaitTermination(seconds + 30L, TimeUnit.SECONDS);
        return sent.get() / (double) seconds;
    }

    /** routes/flow-api.camel.yaml with the beans it needs, the budget at the defaults of config/application.properties. */
    private static CamelContext door(FlowSandbox sandbox) throws Exception {
        CamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.put("flow.base.url", sandbox.baseUrl());
        context.getPropertiesComponent().setOverrideProperties(properties);
        ObjectMapper mapper = new ObjectMapper();
        Metrics metrics = new Metrics(context);
        FlowApiSecret secret = FlowApiSecret.resolve(key -> Optional.of(SECRET).filter(v -> key.equals(FlowApiSecret.PROPERTY)));
        FlowRetryPolicy policy = new FlowRetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5));
        context.getRegistry().bind("flowRequests", new FlowRequests(mapper, policy, metrics, new FlowReachability()));
        context.getRegistry().bind("flowHttpClient", new FlowHttpClient(secret, URI.create(sandbox.baseUrl())));
        context.getRegistry().bind("flowHeaderFilter", new FlowHeaderFilter());
        context.getRegistry().bind("flowBudget", new FlowBudget(new FlowBudget.Settings(1000, 10, 0.9, Duration.ofMinutes(5), 64, 2.0),
            Duration.ofMinutes(5), metrics));
        for (RoutesBuilder routes : PluginHelper.getRoutesLoader(context)
            .findRoutesBuilders(ResourceHelper.resolveResource(context, "file:routes/flow-api.camel.yaml"))) {
            context.addRoutes(routes);
        }
        context.start();
        return context;
    }
}
