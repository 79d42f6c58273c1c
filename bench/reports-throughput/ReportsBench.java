import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The measuring side of the reports throughput benchmark (see README.md beside this file). Run as a single-file
 * program with the flow-bridge jar on the class path (it holds kafka-clients):
 *
 * <pre>
 * java -cp target/flow-bridge.jar bench/reports-throughput/ReportsBench.java ports 4
 * java -cp target/flow-bridge.jar bench/reports-throughput/ReportsBench.java measure BOOTSTRAP TOPIC KEY_PREFIX
 * java -cp target/flow-bridge.jar bench/reports-throughput/ReportsBench.java baseline BOOTSTRAP SOURCE_TOPIC KEY_PREFIX
 *      TARGET_TOPIC LINGER_MS BATCH_BYTES COMPRESSION
 * java -cp target/flow-bridge.jar bench/reports-throughput/ReportsBench.java export BOOTSTRAP SOURCE_TOPIC KEY_PREFIX FILE
 * java -cp target/flow-bridge.jar bench/reports-throughput/ReportsBench.java topic BOOTSTRAP SOURCE_TOPIC TARGET_TOPIC
 * </pre>
 *
 * {@code measure} reads the records whose key starts with KEY_PREFIX and prints how many there are, their average
 * size, and records per second from the first record's timestamp to the last's. {@code baseline} loads those same
 * records (key, value, headers) into memory first, then produces them with a plain Kafka producer, with the
 * producer settings flow-bridge's report endpoint uses, to a new topic with as many partitions, and measures that
 * topic the same way. {@code export} writes those records' keys and values to FILE, one {@code key<TAB>value} line each,
 * for kcat to produce ({@code kcat -P -K '\t'}; a JSON value holds no raw line break). {@code topic} creates TARGET_TOPIC
 * with as many partitions as SOURCE_TOPIC.
 */
public final class ReportsBench {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "ports" -> ports(Integer.parseInt(args[1]));
            case "measure" -> System.out.println(measure(args[1], args[2], args[3]).describe("flow-bridge"));
            case "baseline" -> baseline(args[1], args[2], args[3], args[4], args[5], args[6], args[7]);
            case "export" -> export(args[1], args[2], args[3], args[4]);
            case "topic" -> System.out.println(createLike(args[1], args[2], args[3]));
            default -> throw new IllegalArgumentException("ports | measure | baseline | export | topic, not " + args[0]);
        }
    }

    /** The figures of one topic's run. */
    record Figures(long records, long firstTimestamp, long lastTimestamp, long keyBytes, long valueBytes, long headerBytes) {

        double recordsPerSecond() {
            long millis = lastTimestamp - firstTimestamp;
            return millis <= 0 ? Double.NaN : (records - 1) * 1000.0 / millis;
        }

        long averageBytes() {
            return records == 0 ? 0 : (keyBytes + valueBytes + headerBytes) / records;
        }

        String describe(String who) {
            return String.format("%s: %d records, %d bytes each on average (key %d, value %d, headers %d), first to last record %d ms,"
                    + " %.0f records/s", who, records, averageBytes(), keyBytes / Math.max(1, records),
                valueBytes / Math.max(1, records), headerBytes / Math.max(1, records), lastTimestamp - firstTimestamp,
                recordsPerSecond());
        }
    }

    private static void ports(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            System.out.println(String.join(" ", sockets.stream().map(s -> String.valueOf(s.getLocalPort())).toList()));
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    static Figures measure(String bootstrap, String topic, String keyPrefix) {
        long[] figures = {0, Long.MAX_VALUE, Long.MIN_VALUE, 0, 0, 0};
        readAll(bootstrap, topic, keyPrefix, record -> {
            figures[0]++;
            figures[1] = Math.min(figures[1], record.timestamp());
            figures[2] = Math.max(figures[2], record.timestamp());
            figures[3] += record.key().length;
            figures[4] += record.value() == null ? 0 : record.value().length;
            for (Header header : record.headers()) {
                figures[5] += header.key().length() + (header.value() == null ? 0 : header.value().length);
            }
        });
        return new Figures(figures[0], figures[1], figures[2], figures[3], figures[4], figures[5]);
    }

    private static void baseline(String bootstrap, String sourceTopic, String keyPrefix, String targetTopic, String lingerMs,
                                 String batchBytes, String compression) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        readAll(bootstrap, sourceTopic, keyPrefix,
            record -> records.add(new ProducerRecord<>(targetTopic, null, record.key(), record.value(), record.headers())));
        int partitions = createLike(bootstrap, sourceTopic, targetTopic);
        System.out.printf("baseline: %d records loaded from %s, producing them to %s (%d partitions)%n", records.size(),
            sourceTopic, targetTopic, partitions);

        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        long started = System.nanoTime();
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStarted = os.getProcessCpuTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings)) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record);
            }
            producer.flush();
        }
        System.out.printf("baseline: sent and acknowledged in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        System.out.printf("baseline: sending used %d ms of CPU (the whole JVM: producer, its I/O thread, GC)%n",
            (os.getProcessCpuTime() - cpuStarted) / 1_000_000);
        System.out.println(measure(bootstrap, targetTopic, "").describe("baseline"));
    }

    /** Creates {@code targetTopic} with as many partitions as {@code sourceTopic}; returns how many. */
    private static int createLike(String bootstrap, String sourceTopic, String targetTopic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            int partitions = admin.describeTopics(List.of(sourceTopic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(sourceTopic).partitions().size();
            admin.createTopics(List.of(new NewTopic(targetTopic, Optional.of(partitions), Optional.empty())))
                .all().get(30, TimeUnit.SECONDS);
            return partitions;
        }
    }

    private static void export(String bootstrap, String sourceTopic, String keyPrefix, String file) throws IOException {
        long[] count = {0};
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(new java.io.FileOutputStream(file), 1 << 20)) {
            readAll(bootstrap, sourceTopic, keyPrefix, record -> {
                try {
                    out.write(record.key());
                    out.write('\t');
                    out.write(record.value());
                    out.write('\n');
                    count[0]++;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        System.out.printf("kcat: %d records (keys and values) of %s written to %s%n", count[0], sourceTopic, file);
    }

    /** Hands every record of the topic whose key starts with {@code keyPrefix} to {@code handler}, up to the topic's end. */
    private static void readAll(String bootstrap, String topic, String keyPrefix,
                                java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        byte[] prefix = keyPrefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null && startsWith(record.key(), prefix)) {
                        handler.accept(record);
                    }
                }
            }
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
