import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Signed registration commands POSTed to flow-bridge's webhook as fast as it takes them, then proof that every
 * accepted one was carried out once. Closed loop: each of C connections (HTTP/1.1 keep-alive, one thread each) sends
 * its next request when the answer to the last one is in, every request a new registration with its own commandId,
 * signed with HMAC-SHA256 like a CRM would. Phases:
 * <ol>
 *   <li>warm-up (not measured): the JIT compiles, Kafka's producer and the consumers settle;</li>
 *   <li>ramp: C = 1, 2, 4, ... for a few seconds each; the lowest C within 5 % of the best accepted rate is kept
 *       (more connections beyond it only queue);</li>
 *   <li>baseline, same run, same C: the same requests unsigned, which the same server refuses with 401 without
 *       reading them or touching Kafka;</li>
 *   <li>the run: C connections for the given time; accepted rate, latency percentiles, answers by status;</li>
 *   <li>proof: every commandId answered 202 has exactly one outcome on flow.registration.results (status registered)
 *       and reached FLOW exactly once (the sandbox's count of POST /registrants per X-Command-Id).</li>
 * </ol>
 * After each phase, the load generator waits until flow-bridge has carried out what it accepted, so that phases do
 * not measure each other's backlog. Run by run.sh, which starts the sandbox and flow-bridge.
 *
 * Arguments: webhookPort secret bootstrapServers sandboxUrl seconds maxConcurrency [scheme]; scheme is
 * {@code x-signature-256} (the default: {@code X-Signature-256} over the body) or {@code standard-webhooks}
 * ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}; the secret is then a {@code whsec_} one).
 */
public final class WebhookLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SESSIONS = List.of("future-roadmap-1", "future-roadmap-2", "live-townhall");
    private static final Duration RAMP_STEP = Duration.ofSeconds(8);
    private static final Duration WARM_UP = Duration.ofSeconds(15);
    private static final Duration BASELINE = Duration.ofSeconds(15);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);

    private final int port;
    private final byte[] secret;
    private final boolean standardWebhooks;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();
    /** Every commandId answered 202 in any phase: commands of this run that reached FLOW without one are reported. */
    private final Set<String> everAccepted = ConcurrentHashMap.newKeySet();
    /** Requests that got no answer (in any phase): only those may have been carried out without a 202. */
    private final AtomicLong unanswered = new AtomicLong();
    private final Outcomes outcomes;

    private WebhookLoad(int port, String secret, boolean standardWebhooks, Outcomes outcomes) {
        this.port = port;
        this.standardWebhooks = standardWebhooks;
        // A whsec_ secret's key is its base64 part, decoded; an X-Signature-256 secret's, its UTF-8 bytes.
        this.secret = standardWebhooks ? java.util.Base64.getDecoder().decode(secret.substring("whsec_".length()))
            : secret.getBytes(StandardCharsets.UTF_8);
        this.outcomes = outcomes;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String secret = args[1];
        String bootstrap = args[2];
        String sandbox = args[3];
        Duration duration = Duration.ofSeconds(Long.parseLong(args[4]));
        int maxConcurrency = Integer.parseInt(args[5]);
        boolean standardWebhooks = args.length > 6 && args[6].equals("standard-webhooks");
        System.out.println("signatures: " + (standardWebhooks ? "Standard Webhooks" : "X-Signature-256"));

        try (Outcomes outcomes = Outcomes.follow(bootstrap)) {
            WebhookLoad load = new WebhookLoad(port, secret, standardWebhooks, outcomes);
            load.drained(load.phase("warm-up", 8, WARM_UP, true));

            List<Phase> ramp = new ArrayList<>();
            for (int concurrency = 1; concurrency <= maxConcurrency; concurrency *= 2) {
                Phase step = load.phase("ramp", concurrency, RAMP_STEP, true);
                load.drained(step);
                ramp.add(step);
            }
            double best = ramp.stream().mapToDouble(Phase::acceptedRate).max().orElseThrow();
            int chosen = ramp.stream().filter(step -> step.acceptedRate() >= 0.95 * best).findFirst().orElseThrow().concurrency;
            System.out.printf("ramp: best %.0f accepted/s; %d connections reach %.0f %% of it and are kept%n", best, chosen,
                100 * ramp.stream().filter(step -> step.concurrency == chosen).findFirst().orElseThrow().acceptedRate() / best);

            Phase baseline = load.phase("baseline (unsigned: 401)", chosen, BASELINE, false);
            Phase main = load.phase("run", chosen, duration, true);
            long drainedMillis = load.drained(main);
            System.out.printf("every accepted command of the run had its outcome %.1f s after the run ended%n", drainedMillis / 1000.0);
            System.out.printf("accepted (202) per second vs the same server refusing unsigned requests (401, no Kafka): "
                + "%.0f / %.0f = %.2f%n", main.acceptedRate(), baseline.rate(), main.acceptedRate() / baseline.rate());
            boolean exact = load.verify(main, sandbox);
            System.exit(exact ? 0 : 1);
        }
    }

    // ---- load

    /** What one phase measured. */
    private record Phase(String name, int concurrency, long nanos, long[] latencies, Map<String, Long> answers, Set<String> accepted) {

        double rate() {
            return latencies.length * 1e9 / nanos;
        }

        double acceptedRate() {
            return accepted.size() * 1e9 / nanos;
        }

        String summary() {
            return String.format("%s: %d connections, %.0f s: %d requests, %.0f/s; accepted %d (%.0f/s); latency ms p50 %.1f, "
                    + "p90 %.1f, p99 %.1f, max %.1f; answers %s", name, concurrency, nanos / 1e9, latencies.length, rate(),
                accepted.size(), acceptedRate(), percentile(0.50), percentile(0.90), percentile(0.99), percentile(1.0), answers);
        }

        private double percentile(double p) {
            if (latencies.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(p * latencies.length) - 1;
            return latencies[Math.max(0, Math.min(latencies.length - 1, index))] / 1e6;
        }
    }

    private Phase phase(String name, int concurrency, Duration duration, boolean signed) throws InterruptedException {
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            connections.add(new Connection(signed));
        }
        long started = System.nanoTime();
        long deadline = started + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (Connection connection : connections) {
            Thread thread = new Thread(() -> connection.loop(deadline), name + "-" + threads.size());
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long nanos = System.nanoTime() - started;
        long[] latencies = connections.stream().flatMapToLong(connection -> Arrays.stream(connection.latencies, 0, connection.count))
            .sorted().toArray();
        Map<String, Long> answers = new TreeMap<>();
        connections.forEach(connection -> connection.answers.forEach((status, count) -> answers.merge(status, count, Long::sum)));
        Set<String> accepted = connections.stream().flatMap(connection -> connection.accepted.stream()).collect(Collectors.toSet());
        Phase phase = new Phase(name, concurrency, nanos, latencies, answers, accepted);
        everAccepted.addAll(accepted);
        answers.forEach((status, count) -> unanswered.addAndGet(status.startsWith("io:") ? count : 0));
        System.out.println(phase.summary());
        return phase;
    }

    /** One keep-alive connection and the thread that drives it: a plain HTTP/1.1 client, so that it costs little CPU. */
    private final class Connection {
        private final boolean signed;
        private final Mac hmac;
        private final Map<String, Long> answers = new TreeMap<>();
        private final List<String> accepted = new ArrayList<>();
        private long[] latencies = new long[1 << 14];
        private int count;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        Connection(boolean signed) {
            this.signed = signed;
            try {
                hmac = Mac.getInstance("HmacSHA256");
                hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        void loop(long deadline) {
            while (System.nanoTime() < deadline) {
                long n = sequence.incrementAndGet();
                String commandId = "load-" + run + "-" + n;
                byte[] body = ("{\"commandId\":\"" + commandId + "\",\"email\":\"" + commandId + "@example.com\",\"firstName\":\"Load\","
                    + "\"lastName\":\"Test " + n + "\",\"eventSessionToken\":\"" + SESSIONS.get((int) (n % SESSIONS.size())) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
                long started = System.nanoTime();
                String status;
                try {
                    int code = exchange(commandId, body);
                    status = String.valueOf(code);
                    if (code == 202) {
                        accepted.add(commandId);
                    }
                } catch (IOException e) {
                    status = "io:" + e.getClass().getSimpleName();
                    close();
                }
                record(System.nanoTime() - started);
                answers.merge(status, 1L, Long::sum);
            }
            close();
        }

        private int exchange(String commandId, byte[] body) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout(30_000);
                out = new BufferedOutputStream(socket.getOutputStream(), 4096);
                in = new BufferedInputStream(socket.getInputStream(), 4096);
            }
            StringBuilder head = new StringBuilder("POST /webhooks/registrations HTTP/1.1\r\nHost: 127.0.0.1:").append(port)
                .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            if (signed && standardWebhooks) {
                String id = "msg_" + commandId;
                long timestamp = System.currentTimeMillis() / 1000;
                hmac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
                head.append("webhook-id: ").append(id).append("\r\nwebhook-timestamp: ").append(timestamp)
                    .append("\r\nwebhook-signature: v1,").append(java.util.Base64.getEncoder().encodeToString(hmac.doFinal(body)))
                    .append("\r\n");
            } else if (signed) {
                head.append("X-Signature-256: sha256=").append(HexFormat.of().formatHex(hmac.doFinal(body))).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            int length = 0;
            boolean close = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase();
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            byte[] answer = in.readNBytes(length);
            if (answer.length < length) {
                throw new IOException("connection closed mid-answer");
            }
            if (close) {
                close();
            }
            return status;
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }

        private void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    // ---- outcomes and proof

    /** Waits until every command the phase had accepted has an outcome; returns how long after the phase that was. */
    private long drained(Phase phase) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + DRAIN_TIMEOUT.toNanos();
        while (!outcomes.allAnswered(phase.accepted())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(phase.name() + ": outcomes missing after " + DRAIN_TIMEOUT);
            }
            Thread.sleep(100);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Exactly one outcome (registered) and exactly one FLOW call for every accepted commandId of the run. */
    private boolean verify(Phase main, String sandbox) throws Exception {
        Thread.sleep(3_000); // anything doubled would be written by now
        HttpClient http = HttpClient.newHttpClient();
        String answer = http.send(HttpRequest.newBuilder(URI.create(sandbox + "/sandbox/registrations/by-command-id")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        JsonNode posts = JSON.readTree(answer);
        long notOnce = main.accepted().stream().filter(id -> posts.path(id).asLong() != 1).count();
        long runPostedNotAccepted = 0;
        for (var names = posts.fieldNames(); names.hasNext(); ) {
            String id = names.next();
            if (id.startsWith("load-" + run + "-") && !everAccepted.contains(id) && posts.path(id).asLong() > 0) {
                runPostedNotAccepted++;
            }
        }
        Map<String, Long> outcomeCounts = main.accepted().stream().collect(Collectors.groupingBy(outcomes::count, TreeMap::new,
            Collectors.counting())).entrySet().stream().collect(Collectors.toMap(entry -> entry.getKey() + " outcome(s)",
            Map.Entry::getValue, Long::sum, TreeMap::new));
        Map<String, Long> statuses = main.accepted().stream().collect(Collectors.groupingBy(outcomes::status, TreeMap::new,
            Collectors.counting()));
        long doubledAnywhere = outcomes.doubled();
        System.out.printf("proof: %d accepted commandIds; outcomes per commandId %s, statuses %s; FLOW POSTs per commandId: "
                + "%d not exactly 1; %d commands carried out without a 202 (in any phase); %d commandIds with more than one "
                + "outcome (in any phase)%n", main.accepted().size(), outcomeCounts, statuses, notOnce,
            runPostedNotAccepted, doubledAnywhere);
        boolean exact = notOnce == 0 && doubledAnywhere == 0 && runPostedNotAccepted <= unanswered.get()
            && outcomeCounts.keySet().equals(Set.of("1 outcome(s)"))
            && statuses.keySet().equals(Set.of("registered"));
        System.out.println(exact ? "every accepted command reached FLOW once and has one outcome" : "NOT EXACT: see above");
        return exact;
    }

    /** Follows flow.registration.results from its end (as of the start) and counts the outcomes per command-id header. */
    private static final class Outcomes implements AutoCloseable {
        private final Map<String, Long> counts = new ConcurrentHashMap<>();
        private final Map<String, String> statuses = new ConcurrentHashMap<>();
        private final KafkaConsumer<String, String> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        private Outcomes(KafkaConsumer<String, String> consumer) {
            this.consumer = consumer;
            this.thread = new Thread(this::follow, "outcomes");
            thread.setDaemon(true);
            thread.start();
        }

        static Outcomes follow(String bootstrap) {
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "webhook-load-" + UUID.randomUUID());
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties);
            consumer.subscribe(List.of("flow.registration.results"));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            consumer.seekToEnd(consumer.assignment());
            consumer.assignment().forEach(consumer::position);
            return new Outcomes(consumer);
        }

        private void follow() {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    String id = header(record, "command-id");
                    counts.merge(id, 1L, Long::sum);
                    statuses.put(id, String.valueOf(header(record, "command-status")));
                }
            }
            consumer.close();
        }

        boolean allAnswered(Set<String> ids) {
            return ids.stream().allMatch(counts::containsKey);
        }

        long count(String id) {
            return counts.getOrDefault(id, 0L);
        }

        String status(String id) {
            return statuses.getOrDefault(id, "none");
        }

        long doubled() {
            return counts.values().stream().filter(count -> count > 1).count();
        }

        private static String header(ConsumerRecord<?, ?> record, String name) {
            Header header = record.headers().lastHeader(name);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
