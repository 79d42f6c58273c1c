import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

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
 * Registration throughput, end to end: N registration commands on flow.registration.commands -> N outcomes on
 * flow.registration.results, timed from the first command's record timestamp to the last outcome's. Beside it, in
 * the same run, the baseline: a plain HTTP load generator posting N registrations straight to the same FLOW sandbox
 * at the same concurrency. Rounds alternate between the two; the medians are compared. Run by run.sh, which starts
 * the sandbox and flow-bridge.
 *
 * Arguments: bootstrapServers flowBaseUrl apiSecret commands concurrency warmUpCommands rounds
 */
public final class RegistrationBench {

    private static final String SESSION = "future-roadmap-1";

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String flowBaseUrl = args[1];
        String apiSecret = args[2];
        int count = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        int warmUpCount = Integer.parseInt(args[5]);
        int rounds = Integer.parseInt(args[6]);
        String run = UUID.randomUUID().toString().substring(0, 8);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerSettings(bootstrap));
             KafkaConsumer<String, String> results = new KafkaConsumer<>(consumerSettings(bootstrap))) {
            results.subscribe(List.of("flow.registration.results"));
            while (results.assignment().isEmpty()) {
                results.poll(Duration.ofMillis(100));
            }
            results.seekToEnd(results.assignment());
            results.assignment().forEach(results::position);
            // Warm-up, not measured: flow-bridge has joined its consumer group, and its code is compiled (JIT) as it
            // would be in a process that has been running for a while.
            Set<String> warmUp = new HashSet<>();
            for (int i = 0; i < warmUpCount; i++) {
                send(producer, "warmup-" + run, i);
                warmUp.add("warmup-" + run + "-" + i);
            }
            producer.flush();
            await(results, warmUp, Duration.ofMinutes(5));

            // Rounds alternate (baseline, flow-bridge, baseline, ...) so that other load on the machine weighs on both alike.
            List<Double> bridgeRates = new ArrayList<>();
            List<Double> baselineRates = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                baselineRates.add(baseline(flowBaseUrl, apiSecret, run + "-" + round, count, concurrency));
                bridgeRates.add(bridge(producer, results, run + "-" + round, count));
            }
            double bridge = median(bridgeRates);
            double baseline = median(baselineRates);
            System.out.printf("median of %d rounds: flow-bridge %.1f/s, baseline %.1f/s, ratio %.2f (target >= 0.8)%n",
                rounds, bridge, baseline, bridge / baseline);
        }
    }

    /** Commands on the topic -> outcomes on the results topic, from the first command's timestamp to the last outcome's. */
    private static double bridge(KafkaProducer<String, String> producer, KafkaConsumer<String, String> results, String run, int count)
        throws Exception {
        long firstCommand = Long.MAX_VALUE;
        List<java.util.concurrent.Future<RecordMetadata>> sends = new ArrayList<>(count);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < count; i++) {
            sends.add(send(producer, "bench-" + run, i));
            expected.add("bench-" + run + "-" + i);
        }
        producer.flush();
        for (var sent : sends) {
            firstCommand = Math.min(firstCommand, sent.get().timestamp());
        }
        long lastOutcome = await(results, expected, Duration.ofMinutes(10));
        double rate = count * 1000.0 / (lastOutcome - firstCommand);
        System.out.printf("flow-bridge: %d registrations, commands -> outcomes in %d ms: %.1f registrations/s%n",
            count, lastOutcome - firstCommand, rate);
        return rate;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static java.util.concurrent.Future<RecordMetadata> send(KafkaProducer<String, String> producer, String prefix, int i) {
        String email = prefix + "-" + i + "@example.com";
        String command = "{\"commandId\":\"" + prefix + "-" + i + "\",\"email\":\"" + email + "\",\"firstName\":\"Bench\","
            + "\"lastName\":\"Person " + i + "\",\"eventSessionToken\":\"" + SESSION + "\"}";
        return producer.send(new ProducerRecord<>("flow.registration.commands", SESSION + ":" + email, command));
    }

    /** Reads outcomes until every expected commandId has one; returns the latest outcome's record timestamp. */
    private static long await(KafkaConsumer<String, String> results, Set<String> expected, Duration timeout) {
        Set<String> missing = new HashSet<>(expected);
        long last = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!missing.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(missing.size() + " outcomes missing after " + timeout);
            }
            for (ConsumerRecord<String, String> record : results.poll(Duration.ofMillis(200))) {
                String value = record.value();
                int at = value.indexOf("\"commandId\":\"") + 13;
                if (missing.remove(value.substring(at, value.indexOf('"', at)))) {
                    last = Math.max(last, record.timestamp());
                }
            }
        }
        return last;
    }

    /** The same registrations POSTed straight to the sandbox by {@code concurrency} threads, as fast as it answers. */
    private static double baseline(String flowBaseUrl, String apiSecret, String run, int count, int concurrency) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(concurrency);
        long started = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            new Thread(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        String body = "{\"email\":\"baseline-" + run + "-" + i + "@example.com\",\"firstName\":\"Bench\","
                            + "\"lastName\":\"Person " + i + "\",\"eventSessionToken\":\"" + SESSION + "\"}";
                        HttpRequest request = HttpRequest.newBuilder(URI.create(flowBaseUrl + "/registrants"))
                            .header("Content-Type", "application/json").header("api-secret", apiSecret)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        if (http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                } finally {
                    done.countDown();
                }
            }).start();
        }
        done.await();
        long millis = (System.nanoTime() - started) / 1_000_000;
        double rate = count * 1000.0 / millis;
        System.out.printf("baseline: %d registrations POSTed straight to the sandbox by %d threads in %d ms: %.1f registrations/s (%d failed)%n",
            count, concurrency, millis, rate, failures.get());
        return rate;
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
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return properties;
    }
}
