import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The command ledger's memory, helpers for ledger-memory.sh (run with the jar on the classpath:
 * {@code java -cp target/flow-bridge.jar bench/reliability/LedgerMemoryBench.java <verb> ...}).
 * <ul>
 *   <li>{@code ports N}: N free ports;</li>
 *   <li>{@code feed BOOTSTRAP LEDGER_TOPIC COMMAND_TOPIC RESULTS_TOPIC PARTITIONS N}: writes, for N commandIds (random
 *   UUIDs, as the webhook's), the pending and the done marker flow-bridge itself writes, on the ledger partition of the
 *   command partition (commandId i on partition i % PARTITIONS): what the ledger topic holds after N registrations;</li>
 *   <li>{@code commands BOOTSTRAP COMMAND_TOPIC PARTITIONS PER_PARTITION SESSION TAG}: PER_PARTITION registrations on each
 *   command partition (so that every instance gets a batch, which makes its ledger read its partitions back);</li>
 *   <li>{@code group BOOTSTRAP GROUP TOPIC MEMBERS}: waits until the consumer group has MEMBERS members each holding a
 *   partition of TOPIC, and prints who holds which.</li>
 * </ul>
 */
public class LedgerMemoryBench {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "ports" -> ports(Integer.parseInt(args[1]));
            case "feed" -> feed(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            case "commands" -> commands(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[5], args[6]);
            case "group" -> group(args[1], args[2], args[3], Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void ports(int count) throws Exception {
        List<ServerSocket> sockets = new ArrayList<>();
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < count; i++) {
            ServerSocket socket = new ServerSocket(0);
            sockets.add(socket);
            ports.append(i == 0 ? "" : " ").append(socket.getLocalPort());
        }
        for (ServerSocket socket : sockets) {
            socket.close();
        }
        System.out.println(ports);
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(properties);
    }

    private static void feed(String bootstrap, String ledgerTopic, String commandTopic, String resultsTopic, int partitions,
                             int count) throws Exception {
        long started = System.nanoTime();
        long[] offsets = new long[partitions];
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            for (int i = 0; i < count; i++) {
                int partition = i % partitions;
                long offset = 1_000_000 + offsets[partition]++;
                String commandId = UUID.randomUUID().toString();
                String source = commandTopic + "/" + partition + "/" + offset;
                long now = System.currentTimeMillis();
                String common = "\"kind\":\"registration\",\"commandId\":\"" + commandId + "\",\"source\":\"" + source
                    + "\",\"instance\":\"ledger-feed\",\"ts_ms\":" + now;
                String key = "registration:" + commandId;
                producer.send(new ProducerRecord<>(ledgerTopic, partition, key, "{\"state\":\"pending\"," + common + "}"));
                producer.send(new ProducerRecord<>(ledgerTopic, partition, key, "{\"state\":\"done\"," + common
                    + ",\"status\":\"registered\",\"outcome\":\"" + resultsTopic + "/" + partition + "/" + offset + "\"}"));
                if ((i + 1) % 100_000 == 0) {
                    System.out.printf("fed %,d commandIds (%d s)%n", i + 1, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                }
            }
            producer.flush();
        }
        System.out.printf("fed %,d commandIds (%,d markers) to %s in %d s%n", count, 2L * count, ledgerTopic,
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    private static void commands(String bootstrap, String commandTopic, int partitions, int perPartition, String session,
                                 String tag) throws Exception {
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            for (int partition = 0; partition < partitions; partition++) {
                for (int i = 0; i < perPartition; i++) {
                    String email = tag + "-" + partition + "-" + i + "@example.com";
                    String value = "{\"commandId\":\"" + UUID.randomUUID() + "\",\"email\":\"" + email
                        + "\",\"firstName\":\"Ledger\",\"lastName\":\"Bench\",\"eventSessionToken\":\"" + session + "\"}";
                    producer.send(new ProducerRecord<>(commandTopic, partition, session + ":" + email, value)).get();
                }
            }
        }
        System.out.printf("sent %d registrations to each of %d partitions of %s%n", perPartition, partitions, commandTopic);
    }

    private static void group(String bootstrap, String group, String topic, int members) throws Exception {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(properties)) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            int checks = 0;
            while (System.nanoTime() < deadline) {
                var description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                List<String> holders = new ArrayList<>();
                for (MemberDescription member : description.members()) {
                    List<Integer> held = member.assignment().topicPartitions().stream()
                        .filter(p -> p.topic().equals(topic)).map(p -> p.partition()).sorted().toList();
                    if (!held.isEmpty()) {
                        holders.add(member.clientId() + " " + held);
                    }
                }
                if (description.state().toString().equalsIgnoreCase("stable") && holders.size() == members) {
                    System.out.println("group " + group + " stable, " + topic + " partitions: " + String.join(", ", holders));
                    return;
                }
                if (++checks % 15 == 0) {
                    System.out.println("group " + group + " " + description.state() + ", " + description.members().size()
                        + " members; " + topic + " partitions: " + String.join(", ", holders));
                }
                Thread.sleep(1000);
            }
            throw new IllegalStateException("The group " + group + " did not reach " + members + " members holding " + topic);
        }
    }
}
