import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The measuring side of bench/registrants-poll/run.sh, run as a single-file program
 * ({@code java -cp target/flow-bridge.jar bench/registrants-poll/BenchTool.java <command> ...}):
 *
 * <pre>
 *   free-port                                   a free TCP port on 127.0.0.1
 *   baseline URL SECRET SESSIONS CONCURRENCY    GETs every gen-NNNNN registrant list with the JDK HTTP client, 3 rounds
 *   produce BOOTSTRAP TOPIC SOURCE_TOPIC        republishes SOURCE_TOPIC's records (keys, values, headers) to TOPIC with a
 *                                               plain producer, acks=all and idempotence as flow-bridge sends them
 *   count BOOTSTRAP TOPIC                       the records on a topic by op (r, c, u, d, tombstone), read to its end
 *   heap GC_LOG END MILLIS                      heap figures from a -Xlog:gc log for the MILLIS before wall-clock time END (HH:mm:ss.SSS)
 * </pre>
 */
public class BenchTool {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "free-port" -> freePort();
            case "baseline" -> baseline(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "produce" -> produce(args[1], args[2], args[3]);
            case "count" -> count(args[1], args[2]);
            case "heap" -> heap(Path.of(args[1]), LocalTime.parse(args[2]).minus(Duration.ofMillis(Long.parseLong(args[3]))),
                LocalTime.parse(args[2]));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    static void freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            System.out.println(socket.getLocalPort());
        }
    }

    /** The plain cost of reading every registrant list: no Camel, no JSON, no Kafka. Prints ms per round. */
    static void baseline(String baseUrl, String secret, int sessions, int concurrency) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            for (int round = 1; round <= 3; round++) {
                AtomicLong bytes = new AtomicLong();
                long started = System.nanoTime();
                List<Future<?>> calls = new ArrayList<>();
                for (int number = 1; number <= sessions; number++) {
                    URI uri = URI.create(baseUrl + "/reports/events/sessions/registrants/" + String.format("gen-%05d", number));
                    calls.add(pool.submit(() -> {
                        HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(uri).header("api-secret", secret).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                        if (answer.statusCode() != 200) {
                            throw new IllegalStateException(uri + " answered " + answer.statusCode());
                        }
                        bytes.addAndGet(answer.body().length);
                        return null;
                    }));
                }
                for (Future<?> call : calls) {
                    call.get();
                }
                System.out.printf("round %d: %d ms, %d MB read%n", round, (System.nanoTime() - started) / 1_000_000, bytes.get() >> 20);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The plain cost of publishing what a cycle published: the same records, read first into memory, sent by one
     * KafkaProducer with flow-bridge's settings (acks=all, idempotence), timed from the first send to the last ack.
     */
    static void produce(String bootstrap, String topic, String sourceTopic) throws Exception {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        read(bootstrap, sourceTopic, record -> records.add(new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers())));
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            int partitions = admin.describeTopics(List.of(sourceTopic)).allTopicNames().get().get(sourceTopic).partitions().size();
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
            producer.partitionsFor(topic);
            long started = System.nanoTime();
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<String, String> record : records) {
                sent.add(producer.send(record));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
            System.out.printf("%d records sent and acknowledged in %d ms%n", records.size(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Reads the whole topic as a consumer would and counts the records by op. */
    static void count(String bootstrap, String topic) {
        Map<String, Long> byOp = new TreeMap<>();
        Pattern op = Pattern.compile("\"op\":\"(\\w)\"");
        read(bootstrap, topic, record -> {
            String kind = "tombstone";
            if (record.value() != null) {
                Matcher matcher = op.matcher(record.value());
                kind = matcher.find() ? matcher.group(1) : "?";
            }
            byOp.merge(kind, 1L, Long::sum);
        });
        System.out.println(byOp);
    }

    private static void read(String bootstrap, String topic, Consumer<ConsumerRecord<String, String>> handler) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(handler);
            }
        }
    }

    /**
     * From a G1 log written with -Xlog:gc:file=...:time, for the collections in [from, to]: the most heap in use when
     * a collection started (the peak: G1 lets young objects fill what the heap allows before it collects), the most
     * left after one (what was really held), their number, and roughly how much was allocated (what each collection
     * found, minus what the previous one left).
     */
    static void heap(Path gcLog, LocalTime from, LocalTime to) throws IOException {
        Pattern line = Pattern.compile("^\\[(\\S+)\\].*Pause.*?(\\d+)M->(\\d+)M\\((\\d+)M\\)");
        long peak = 0;
        long maxAfter = 0;
        long previousAfter = -1;
        long allocated = 0;
        int collections = 0;
        for (String text : Files.readAllLines(gcLog)) {
            Matcher matcher = line.matcher(text);
            if (!matcher.find()) {
                continue;
            }
            LocalTime time = OffsetDateTime.parse(matcher.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")).toLocalTime();
            long before = Long.parseLong(matcher.group(2));
            long after = Long.parseLong(matcher.group(3));
            if (!time.isBefore(from) && !time.isAfter(to)) {
                collections++;
                peak = Math.max(peak, before);
                maxAfter = Math.max(maxAfter, after);
                if (previousAfter >= 0) {
                    allocated += Math.max(0, before - previousAfter);
                }
            }
            previousAfter = after;
        }
        System.out.printf("peak %d MB, at most %d MB after a GC, %d GCs, about %d MB allocated%n", peak, maxAfter, collections, allocated);
    }
}
