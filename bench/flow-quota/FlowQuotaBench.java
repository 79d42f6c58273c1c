import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The client side of bench/flow-quota (run.sh starts the sandbox, flow-bridge and wrk):
 * <ul>
 *   <li>{@code commands BOOTSTRAP FLOW_ORIGIN COUNT SESSION}: COUNT registration commands on flow.registration.commands,
 *       timed from the first command's record timestamp to the last outcome's on flow.registration.results; beside it
 *       what the FLOW sandbox served and refused meanwhile (its rate-limit counters and request log).</li>
 *   <li>{@code waits WEBHOOK_PORT SECRET FLOW_ORIGIN SESSION COUNT INTERVAL_MS [during-registrants N]}: COUNT
 *       registrations POSTed one after another to {@code /webhooks/registrations?wait=true}, one every INTERVAL_MS, each
 *       timed until its outcome is answered; with {@code during-registrants N}, only while a registrants cycle over N
 *       sessions runs (from its 20th GET to its (N-20)th), counted from the sandbox's request log.</li>
 * </ul>
 */
public final class FlowQuotaBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "commands" -> commands(args[1], args[2], Integer.parseInt(args[3]), args[4]);
            case "waits" -> waits(Integer.parseInt(args[1]), args[2], args[3], args[4], Integer.parseInt(args[5]),
                Long.parseLong(args[6]), args.length > 8 && args[7].equals("during-registrants") ? Integer.parseInt(args[8]) : 0);
            default -> throw new IllegalArgumentException("commands | waits, not " + args[0]);
        }
    }

    // --- commands through Kafka

    private static void commands(String bootstrap, String flowOrigin, int count, String session) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerSettings(bootstrap));
             KafkaConsumer<String, String> results = new KafkaConsumer<>(consumerSettings(bootstrap))) {
            results.subscribe(List.of("flow.registration.results"));
            while (results.assignment().isEmpty()) {
                results.poll(Duration.ofMillis(100));
            }
            results.seekToEnd(results.assignment());
            results.assignment().forEach(results::position);
            long[] limitBefore = rateLimitCounters(flowOrigin);
            long requestsBefore = requestCount(flowOrigin, "");
            long postsBefore = requestCount(flowOrigin, "method=POST&path=/registrants");

            List<Future<RecordMetadata>> sends = new ArrayList<>(count);
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < count; i++) {
                String id = "quota-" + run + "-" + i;
                String email = id + "@example.com";
                String command = "{\"commandId\":\"" + id + "\",\"email\":\"" + email + "\",\"firstName\":\"Bench\","
                    + "\"lastName\":\"Person " + i + "\",\"eventSessionToken\":\"" + session + "\"}";
                sends.add(producer.send(new ProducerRecord<>("flow.registration.commands", session + ":" + email, command)));
                expected.add(id);
            }
            producer.flush();
            long first = Long.MAX_VALUE;
            for (var sent : sends) {
                first = Math.min(first, sent.get().timestamp());
            }
            TreeMap<String, Integer> statuses = new TreeMap<>();
            long last = await(results, expected, statuses, Duration.ofMinutes(10));
            long millis = last - first;
            long[] limitAfter = rateLimitCounters(flowOrigin);
            long requests = requestCount(flowOrigin, "") - requestsBefore;
            long posts = requestCount(flowOrigin, "method=POST&path=/registrants") - postsBefore;
            System.out.printf(Locale.ROOT, "flow-bridge: %d registration commands -> outcomes in %d ms: %.1f registrations/s %s%n",
                count, millis, count * 1000.0 / millis, statuses);
            System.out.printf(Locale.ROOT, "FLOW meanwhile: %d requests (%d POST /registrants)", requests, posts);
            if (limitAfter[0] >= 0) {
                long served = limitAfter[0] - limitBefore[0];
                long refused = limitAfter[1] - limitBefore[1];
                System.out.printf(Locale.ROOT, ", %d served (%.1f/s), %d refused with 429 (%.1f %% of all requests)",
                    served, served * 1000.0 / millis, refused, 100.0 * refused / Math.max(1, served + refused));
            }
            System.out.println();
            sustained(flowOrigin, posts);
        }
    }

    /**
     * What FLOW served once the commands were under way: POST /registrants answered 200 per second between the 10th and
     * the 90th percentile of their arrival times (the sandbox's request log), leaving out the start of the first batch
     * (Kafka read, pending markers) and the tail of the last.
     */
    private static void sustained(String flowOrigin, long posts) throws Exception {
        JsonNode log = new ObjectMapper().readTree(get(flowOrigin + "/sandbox/requests?method=POST&path=/registrants"));
        List<JsonNode> recent = new ArrayList<>();
        log.forEach(recent::add);
        recent = recent.subList((int) Math.max(0, recent.size() - posts), recent.size());
        List<Long> served = recent.stream().filter(r -> r.path("status").asInt() == 200)
            .map(r -> Instant.parse(r.path("time").asText()).toEpochMilli()).sorted().toList();
        if (served.size() < 20) {
            return;
        }
        int from = served.size() / 10;
        int to = served.size() * 9 / 10;
        double seconds = (served.get(to) - served.get(from)) / 1000.0;
        long refused = recent.stream().filter(r -> r.path("status").asInt() == 429).count();
        System.out.printf(Locale.ROOT, "sustained (POSTs %d to %d of %d served, over %.1f s): %.1f served/s; POSTs refused with 429: %d%n",
            from + 1, to + 1, served.size(), seconds, (to - from) / seconds, refused);
    }

    /** Reads outcomes until every expected commandId has one; returns the latest outcome's record timestamp. */
    private static long await(KafkaConsumer<String, String> results, Set<String> expected, TreeMap<String, Integer> statuses,
                              Duration timeout) {
        Set<String> missing = new HashSet<>(expected);
        long last = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!missing.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(missing.size() + " outcomes missing after " + timeout);
            }
            for (ConsumerRecord<String, String> record : results.poll(Duration.ofMillis(200))) {
                String id = field(record.value(), "commandId");
                if (id != null && missing.remove(id)) {
                    last = Math.max(last, record.timestamp());
                    statuses.merge(field(record.value(), "status"), 1, Integer::sum);
                }
            }
        }
        return last;
    }

    // --- registrations over the webhook, waiting for their outcome

    private static void waits(int webhookPort, String secret, String flowOrigin, String session, int count, long intervalMs,
                              int registrantsCycle) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String registrants = "method=GET&path=/reports/events/sessions/registrants/";
        if (registrantsCycle > 0) {
            long start = requestCount(flowOrigin, registrants);
            while (requestCount(flowOrigin, registrants) - start < 20) {
                Thread.sleep(100);
            }
            System.out.printf("registrants cycle under way (%d GETs so far)%n", requestCount(flowOrigin, registrants));
            registrantsCycle += (int) start;
        }
        List<Long> millis = new ArrayList<>();
        TreeMap<String, Integer> statuses = new TreeMap<>();
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (registrantsCycle > 0 && requestCount(flowOrigin, registrants) >= registrantsCycle - 20) {
                break;
            }
            long now = System.nanoTime();
            if (now < next) {
                Thread.sleep((next - now) / 1_000_000);
            }
            next += intervalMs * 1_000_000;
            String body = "{\"commandId\":\"wait-" + run + "-" + i + "\",\"email\":\"wait-" + run + "-" + i + "@example.com\","
                + "\"firstName\":\"Wait\",\"lastName\":\"Person " + i + "\",\"eventSessionToken\":\"" + session + "\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webhookPort + "/webhooks/registrations?wait=true"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("X-Signature-256", "sha256=" + HexFormat.of().formatHex(hmac(secret, bytes)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            long sent = System.nanoTime();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            millis.add((System.nanoTime() - sent) / 1_000_000);
            String status = response.statusCode() == 200 ? field(response.body(), "status") : "HTTP " + response.statusCode();
            statuses.merge(status, 1, Integer::sum);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        String progress = registrantsCycle > 0 ? String.format(", registrants cycle at %d of %d GETs when the last was answered",
            requestCount(flowOrigin, registrants), registrantsCycle) : "";
        System.out.printf(Locale.ROOT, "%d registrations with ?wait=true, one every %d ms: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms %s%s%n",
            sorted.size(), intervalMs, percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted.get(sorted.size() - 1),
            statuses, progress);
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    // --- the sandbox's control API

    private static long requestCount(String flowOrigin, String query) throws Exception {
        return Long.parseLong(field(get(flowOrigin + "/sandbox/requests/count" + (query.isEmpty() ? "" : "?" + query)), "count"));
    }

    /** {served, refused} under the sandbox's rate limit, or {-1, -1} without one. */
    private static long[] rateLimitCounters(String flowOrigin) throws Exception {
        String json = get(flowOrigin + "/sandbox/rate-limit");
        if (json.contains("\"requestsPerSecond\":null")) {
            return new long[] {-1, -1};
        }
        return new long[] {Long.parseLong(field(json, "accepted")), Long.parseLong(field(json, "refused"))};
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A top-level string or number field of a small JSON object, without a JSON library on the command line. */
    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*(\"([^\"]*)\"|(-?[0-9.]+))").matcher(json);
        if (!matcher.find()) {
            return null;
        }
        return matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
    }

    private static byte[] hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(body);
    }

    private static Properties producerSettings(String bootstrap) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return properties;
    }

    private static Properties consumerSettings(String bootstrap) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return properties;
    }
}
