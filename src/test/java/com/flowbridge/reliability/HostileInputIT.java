package com.flowbridge.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.reliability.HostileCorpus.Inert;
import com.flowbridge.reliability.HostileCorpus.Kind;
import com.flowbridge.reliability.HostileCorpus.Message;
import com.flowbridge.sandbox.RecordedRequest;
import com.flowbridge.testing.BridgeProcess;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.StandardWebhooksSender;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TopicContracts;
import com.flowbridge.testing.TopicProbe;
import com.flowbridge.webhook.WebhookAuth;
import com.flowbridge.testing.HttpContract;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.flowbridge.testing.TopicProbe.header;

/**
 * The hostile input corpus ({@link HostileCorpus}) against the packaged flow-bridge, run as its own process with a
 * 256 MB heap, the FLOW sandbox over HTTP and a real Kafka broker, with good commands interleaved. What a CRM sees
 * is asserted for every message: on Kafka, exactly one {@code rejected} outcome naming the problem and a dead letter
 * of the original bytes; on the webhook, a 4xx naming it. The good commands all go through, once; flow-bridge stays
 * up and healthy; its peak heap is printed.
 */
class HostileInputIT extends SandboxTest {

    private static final String WEBHOOK_SECRET = "hostile-webhook-secret";
    private static final String STANDARD_SECRET = StandardWebhooksSender.secret("fake-hostile-standard-webhooks-secret");
    private static final int TOLERANCE_SECONDS = 30;
    private static final int HEADER_TIMEOUT_SECONDS = 3;
    private static final int HELD_CONNECTIONS = 300;
    private static final int BIG_RECORDS = 12 * 1024 * 1024;
    private static final int GOOD_EVERY = 3;
    private static final Duration OUTCOMES_WAIT = Duration.ofSeconds(90);

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /**
     * For the requests refused at the HTTP level: Vert.x closes the connection after its 431 without saying so
     * (no Connection: close), so a client could reuse it; the good commands keep their own client.
     */
    private final HttpClient refusals = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Signs Standard Webhooks requests with Python's standard library, not the library flow-bridge verifies with. */
    private final StandardWebhooksSender python = track(new StandardWebhooksSender());
    private int goodCount;

    @Test
    void on_the_command_topics_every_bad_command_gets_one_rejection_naming_the_problem_and_a_dead_letter_of_its_bytes()
        throws Exception {
        // The command topics take records of up to 12 MB, so the 10 MB commands reach flow-bridge; the rest is as created.
        createTopics(Map.of("max.message.bytes", String.valueOf(BIG_RECORDS)),
            topics.get("kafka.topic.registration-commands"), topics.get("kafka.topic.event-commands"));
        TopicProbe registrationResults = probe("kafka.topic.registration-results");
        TopicProbe eventResults = probe("kafka.topic.event-results");
        List<Message> bad = new ArrayList<>(HostileCorpus.messages());
        bad.addAll(HostileCorpus.oversized());
        bad.add(new Message("a record without a value (a tombstone)", "nulls", Kind.REGISTRATION, null, "body", "empty"));
        Map<String, Message> badBySource = new LinkedHashMap<>();
        Map<String, Kind> goodIds = new LinkedHashMap<>();

        Bridge bridge = startBridge("kafka");
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (Message message : bad) {
                badBySource.put(send(producer, message.kind(), key(message), message.body()), message);
                if (badBySource.size() % GOOD_EVERY == 0) {
                    sendGood(producer, goodIds);
                }
            }
            for (Inert inert : HostileCorpus.inert()) {
                send(producer, inert.kind(), inert.kind() == Kind.REGISTRATION ? HostileCorpus.SESSION + ":" + inert.commandId()
                    : inert.commandId(), inert.body());
                goodIds.put(inert.commandId(), inert.kind());
            }
        }
        int registrations = count(badBySource.values(), goodIds, Kind.REGISTRATION);
        int events = count(badBySource.values(), goodIds, Kind.EVENT);
        List<ConsumerRecord<String, String>> outcomes = new ArrayList<>(
            registrationResults.awaitCount(registrations, OUTCOMES_WAIT));
        outcomes.addAll(eventResults.awaitCount(events, OUTCOMES_WAIT));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        outcomes.addAll(registrationResults.newRecordsWithin(Duration.ofSeconds(2)));
        outcomes.addAll(eventResults.newRecordsWithin(Duration.ofMillis(200)));
        List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>(readWhole(topics.get("kafka.topic.registration-dlq")));
        deadLetters.addAll(readWhole(topics.get("kafka.topic.event-dlq")));

        SoftAssertions softly = new SoftAssertions();
        Map<String, List<ConsumerRecord<String, String>>> outcomesBySource = outcomes.stream()
            .collect(Collectors.groupingBy(record -> header(record, "command-source")));
        Map<String, List<ConsumerRecord<String, byte[]>>> lettersBySource = deadLetters.stream()
            .collect(Collectors.groupingBy(record -> header(record, "dlq-source-topic") + "/" + header(record, "dlq-source-partition")
                + "/" + header(record, "dlq-source-offset")));
        badBySource.forEach((source, message) -> {
            List<ConsumerRecord<String, String>> answers = outcomesBySource.getOrDefault(source, List.of());
            softly.assertThat(answers).as("outcomes of %s", message).hasSize(1);
            List<ConsumerRecord<String, byte[]>> letters = lettersBySource.getOrDefault(source, List.of());
            softly.assertThat(letters).as("dead letters of %s", message).hasSize(1);
            if (answers.size() == 1 && letters.size() == 1) {
                assertRejected(softly, message, value(answers.get(0)), answers.get(0), letters.get(0));
            }
        });
        Map<String, List<JsonNode>> goodOutcomes = outcomes.stream().map(SandboxTest::value)
            .filter(outcome -> goodIds.containsKey(outcome.path("commandId").asText()))
            .collect(Collectors.groupingBy(outcome -> outcome.path("commandId").asText()));
        goodIds.forEach((commandId, kind) -> softly.assertThat(goodOutcomes.getOrDefault(commandId, List.of()))
            .as("outcomes of good command %s", commandId)
            .extracting(outcome -> outcome.path("status").asText()).containsExactly(kind == Kind.REGISTRATION ? "registered" : "created"));
        softly.assertThat(outcomes).as("outcomes in all").hasSize(badBySource.size() + goodIds.size());
        softly.assertThat(deadLetters).as("dead letters in all").hasSize(badBySource.size());
        softly.assertThat(flow().postsByCommandId()).as("FLOW calls per commandId: the good commands, once each")
            .isEqualTo(goodIds.keySet().stream().collect(Collectors.toMap(Function.identity(), id -> 1L)));
        assertInertArrivedVerbatim(softly);
        bridge.assertStayedHealthy(softly);
        softly.assertAll();
        System.out.printf("[hostile input, Kafka] %d bad commands (%d registrations, %d events, %d of 10 MB) and %d good ones "
                + "interleaved: every outcome and dead letter in %d ms; %s%n", badBySource.size(),
            count(badBySource.values(), Map.of(), Kind.REGISTRATION), count(badBySource.values(), Map.of(), Kind.EVENT),
            HostileCorpus.oversized().size(), goodIds.size(), took.toMillis(), bridge.figures());
    }

    @Test
    void on_the_webhook_every_bad_request_is_a_4xx_naming_the_problem_and_only_the_good_commands_reach_kafka() throws Exception {
        TopicProbe registrationCommands = probe("kafka.topic.registration-commands");
        TopicProbe eventCommands = probe("kafka.topic.event-commands");
        TopicProbe registrationResults = probe("kafka.topic.registration-results");
        TopicProbe eventResults = probe("kafka.topic.event-results");
        Bridge bridge = startBridge("webhook");
        Map<String, Kind> goodIds = new LinkedHashMap<>();
        SoftAssertions softly = new SoftAssertions();
        int refused = 0;

        long started = System.nanoTime();
        for (Message message : HostileCorpus.messages()) {
            HttpResponse<String> answer = post(bridge, path(message.kind()), signed(message.body()), message.body());
            softly.assertThat(answer.statusCode()).as("status for %s: %s", message, answer.body()).isEqualTo(400);
            assertErrorsName(softly, message.toString(), answer.body(), message.field(), message.problem());
            if (++refused % GOOD_EVERY == 0) {
                postGood(bridge, goodIds, softly);
            }
        }
        for (Message message : HostileCorpus.oversized()) {
            HttpResponse<String> answer = post(bridge, path(message.kind()), signed(message.body()), message.body());
            softly.assertThat(answer.statusCode()).as("status for %s", message).isEqualTo(413);
            assertErrorsName(softly, message.toString(), answer.body(), "body", "at most 65536 bytes");
            refused++;
        }
        for (HttpCase request : httpCases()) {
            HttpResponse<String> answer = post(refusals, bridge, request.path(), request.headers(), request.body());
            softly.assertThat(answer.statusCode()).as("status for %s: %s", request.name(), answer.body()).isEqualTo(request.status());
            if (request.field() != null) {
                assertErrorsName(softly, request.name(), answer.body(), request.field(), request.problem());
            }
            refused++;
            postGood(bridge, goodIds, softly);
        }
        int standardCases = 0;
        for (StandardCase request : standardWebhooksCases(bridge, goodIds, softly)) {
            HttpResponse<String> answer = post(refusals, bridge, request.path(), request.headers(), request.body());
            softly.assertThat(answer.statusCode()).as("status for %s: %s", request.name(), answer.body()).isEqualTo(request.status());
            if (request.field() != null) {
                assertErrorsName(softly, request.name(), answer.body(), request.field(), request.problem());
            }
            refused++;
            standardCases++;
        }
        String held = holdConnections(bridge, goodIds, softly);
        for (Inert inert : HostileCorpus.inert()) {
            HttpResponse<String> answer = post(bridge, path(inert.kind()), signed(inert.body()), inert.body());
            softly.assertThat(answer.statusCode()).as("status for inert %s", inert.name()).isEqualTo(202);
            goodIds.put(inert.commandId(), inert.kind());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        int registrations = (int) goodIds.values().stream().filter(Kind.REGISTRATION::equals).count();
        List<ConsumerRecord<String, String>> outcomes = new ArrayList<>(registrationResults.awaitCount(registrations, OUTCOMES_WAIT));
        outcomes.addAll(eventResults.awaitCount(goodIds.size() - registrations, OUTCOMES_WAIT));
        softly.assertThat(registrationCommands.records()).as("registration commands on Kafka: the good ones only").hasSize(registrations);
        softly.assertThat(eventCommands.records()).as("event commands on Kafka: the good ones only").hasSize(goodIds.size() - registrations);
        softly.assertThat(outcomes).extracting(outcome -> value(outcome).path("commandId").asText())
            .as("one outcome per good command").containsExactlyInAnyOrderElementsOf(goodIds.keySet());
        softly.assertThat(outcomes).extracting(outcome -> value(outcome).path("status").asText())
            .as("good commands carried out").containsOnly("registered", "created");
        softly.assertThat(flow().postsByCommandId()).as("FLOW calls per commandId: the good commands, once each")
            .isEqualTo(goodIds.keySet().stream().collect(Collectors.toMap(Function.identity(), id -> 1L)));
        assertInertArrivedVerbatim(softly);
        bridge.assertStayedHealthy(softly);
        softly.assertAll();
        System.out.printf("[hostile input, webhook] %d bad requests (%d corpus messages, %d of 10 MB, %d at the HTTP level, "
                + "%d Standard Webhooks abuses) refused and %d good ones accepted in %d ms; %s; %s%n", refused,
            HostileCorpus.messages().size(), HostileCorpus.oversized().size(), httpCases().size(), standardCases, goodIds.size(),
            took.toMillis(), held, bridge.figures());
    }

    // ---- what a CRM sees

    private static void assertRejected(SoftAssertions softly, Message message, JsonNode outcome, ConsumerRecord<String, String> answer,
                                       ConsumerRecord<String, byte[]> letter) {
        String reason = outcome.path("reason").asText();
        softly.assertThat(outcome.path("status").asText()).as("status of %s", message).isEqualTo("rejected");
        softly.assertThat(reason).as("reason of %s", message).containsIgnoringCase(message.problem());
        if (!message.field().equals("body")) {
            softly.assertThat(reason).as("reason of %s", message).contains(message.field());
        }
        assertErrorsName(softly, message.toString(), outcome.toString(), message.field(), message.problem());
        softly.assertThat(header(answer, "command-status")).as("command-status of %s", message).isEqualTo("rejected");
        softly.assertThat(header(letter, "dlq-reason")).as("dlq-reason of %s", message).isEqualTo(reason);
        softly.assertThat(header(letter, "command-id")).as("command-id of the dead letter of %s", message)
            .isEqualTo(outcome.path("commandId").asText());
        softly.assertThat(header(letter, "dlq-time")).as("dlq-time of %s", message).satisfies(time -> Instant.parse(time));
        softly.assertThat(letter.key()).as("dead letter key of %s", message).isEqualTo(key(message));
        if (message.body() != null && message.body().length > 1024 * 1024) {
            // Too large for Kafka's default limits: the dead letter says so, the original stays on the command topic.
            softly.assertThat(letter.value()).as("dead letter value of %s", message).isEmpty();
            softly.assertThat(header(letter, "dlq-value-omitted")).as("dlq-value-omitted of %s", message).contains("too large");
            softly.assertThat(header(letter, "dlq-original-bytes")).as("dlq-original-bytes of %s", message)
                .isEqualTo(String.valueOf(message.body().length));
        } else {
            softly.assertThat(letter.value()).as("dead letter value of %s", message).isEqualTo(message.body());
        }
    }

    private static void assertErrorsName(SoftAssertions softly, String what, String answer, String field, String problem) {
        JsonNode errors = answerJson(answer).path("errors");
        boolean named = false;
        for (JsonNode error : errors) {
            named |= error.path("field").asText().equals(field)
                && error.path("message").asText().toLowerCase().contains(problem.toLowerCase());
        }
        softly.assertThat(named).as("errors of %s name %s with '%s': %s", what, field, problem, abbreviated(answer)).isTrue();
        softly.assertThat(errors.size()).as("errors of %s, at most 25", what).isBetween(1, 25);
    }

    /** FLOW received the injection strings of the inert commands exactly as they were sent, and nothing evaluated them. */
    private void assertInertArrivedVerbatim(SoftAssertions softly) {
        for (Inert inert : HostileCorpus.inert()) {
            String path = inert.kind() == Kind.REGISTRATION ? "/registrants" : "/events";
            List<RecordedRequest> posts = flow().requests("POST", path).stream()
                .filter(post -> inert.commandId().equals(post.headers().get("x-command-id"))).toList();
            softly.assertThat(posts).as("FLOW requests of inert %s", inert.name()).hasSize(1);
            if (posts.size() == 1) {
                JsonNode body = json(posts.get(0).body());
                inert.fields().forEach((field, text) ->
                    softly.assertThat(body.path(field).asText()).as("%s of inert %s as FLOW got it", field, inert.name()).isEqualTo(text));
            }
        }
    }

    // ---- the bridge

    /** The packaged flow-bridge as its own process with a 256 MB heap and a GC log, watched while the test runs. */
    private final class Bridge {
        private final BridgeProcess process;
        private final BridgeWatch watch;
        private final int webhookPort;

        private Bridge(BridgeProcess process, BridgeWatch watch, int webhookPort) {
            this.process = process;
            this.watch = watch;
            this.webhookPort = webhookPort;
        }

        void assertStayedHealthy(SoftAssertions softly) {
            softly.assertThat(process.isAlive()).as("flow-bridge is running").isTrue();
            softly.assertThat(watch.healthAnswers().keySet()).as("health answers while under attack").containsOnly(200);
            softly.assertThat(process.console()).as("console").noneMatch(line -> line.contains("OutOfMemoryError")
                || line.contains("StackOverflowError"));
        }

        String figures() {
            BridgeWatch.Heap heap = watch.heap();
            return String.format("flow-bridge -Xmx%d m: peak heap %d MiB used before a collection, %d MiB live after one "
                    + "(%d collections); health answers %s", heap.maxMiB(), heap.peakUsedMiB(), heap.peakLiveMiB(),
                heap.collections(), watch.healthAnswers());
        }
    }

    private Bridge startBridge(String name) throws Exception {
        Map<String, String> environment = BridgeProcess.environment(sandbox, topics, name, workDir.resolve("locks"));
        environment.put("FLOW_POLL_INITIAL_DELAY", "1h");
        environment.put("WEBHOOK_SECRET", WEBHOOK_SECRET);
        environment.put("WEBHOOK_STANDARD_SECRET", STANDARD_SECRET);
        environment.put("WEBHOOK_TIMESTAMP_TOLERANCE", TOLERANCE_SECONDS + "s");
        environment.put("WEBHOOK_HEADER_TIMEOUT", HEADER_TIMEOUT_SECONDS + "s");
        // The corpus goes out as fast as this machine sends it, all with one key: rates are WebhookLimitsIT's to test.
        environment.put("WEBHOOK_RATE_LIMIT", "0");
        Path gcLog = workDir.resolve(name + "-gc.log");
        BridgeProcess process = track(BridgeProcess.start("flow-bridge-" + name, workDir.resolve(name), environment,
            BridgeWatch.jvmOptions("256m", gcLog)));
        BridgeWatch watch = track(BridgeWatch.start(Integer.parseInt(environment.get("MANAGEMENT_PORT")), gcLog, Duration.ofSeconds(90)));
        return new Bridge(process, watch, Integer.parseInt(environment.get("WEBHOOK_PORT")));
    }

    // ---- Kafka

    private String send(KafkaProducer<String, byte[]> producer, Kind kind, String key, byte[] value)
        throws InterruptedException, ExecutionException {
        String topic = topics.get(kind == Kind.REGISTRATION ? "kafka.topic.registration-commands" : "kafka.topic.event-commands");
        RecordMetadata written = producer.send(new ProducerRecord<>(topic, key, value)).get();
        return topic + "/" + written.partition() + "/" + written.offset();
    }

    private void sendGood(KafkaProducer<String, byte[]> producer, Map<String, Kind> goodIds) throws Exception {
        int n = ++goodCount;
        Kind kind = n % 2 == 0 ? Kind.EVENT : Kind.REGISTRATION;
        String commandId = good(kind, n);
        send(producer, kind, kind == Kind.REGISTRATION ? HostileCorpus.SESSION + ":good-" + n + "@example.com" : commandId,
            goodBody(kind, commandId, n));
        goodIds.put(commandId, kind);
    }

    private static String key(Message message) {
        return message.kind() == Kind.REGISTRATION ? HostileCorpus.SESSION + ":" + HostileCorpus.GOOD_EMAIL : "hostile-event";
    }

    private static int count(Iterable<Message> bad, Map<String, Kind> good, Kind kind) {
        int count = (int) good.values().stream().filter(kind::equals).count();
        for (Message message : bad) {
            count += message.kind() == kind ? 1 : 0;
        }
        return count;
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(BIG_RECORDS));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(properties);
    }

    private static void createTopics(Map<String, String> config, String... names) throws Exception {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            List<NewTopic> created = new ArrayList<>();
            for (String name : names) {
                created.add(new NewTopic(name, 3, (short) 1).configs(config));
            }
            admin.createTopics(created).all().get();
        }
    }

    /** Every record of a topic, values as the bytes they are, each checked against the topic's contract. */
    private static List<ConsumerRecord<String, byte[]>> readWhole(String topic) {
        TopicContracts.Channel contract = TopicContracts.get().require(topic);
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // What a dead-letter reader is promised: a batch whose transaction was aborted and retried under load leaves its
        // aborted copies in the log, visible only to read_uncommitted.
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(partition -> new TopicPartition(topic, partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))
                && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.forEach(record -> TopicContracts.get().check(contract, record));
        return records;
    }

    // ---- HTTP

    /** Requests refused before their command is looked at: credentials, media type, size, header size, method. */
    private record HttpCase(String name, String path, Map<String, String> headers, byte[] body, int status, String field,
                            String problem) {
    }

    private static List<HttpCase> httpCases() {
        byte[] body = goodBody(Kind.REGISTRATION, "http-case", 0);
        String registrations = path(Kind.REGISTRATION);
        String credentials = WebhookAuth.SIGNATURE_HEADER;
        List<HttpCase> cases = new ArrayList<>();
        cases.add(new HttpCase("no credentials", registrations, Map.of("Content-Type", "application/json"), body, 401, credentials,
            "required"));
        cases.add(new HttpCase("no credentials, as text/plain", registrations, Map.of("Content-Type", "text/plain"), body, 401,
            credentials, "required"));
        cases.add(new HttpCase("no credentials, as a form", path(Kind.EVENT), Map.of("Content-Type", "application/x-www-form-urlencoded"),
            body, 401, credentials, "required"));
        cases.add(new HttpCase("signed with another secret", registrations, Map.of("Content-Type", "application/json", credentials,
            WebhookAuth.signature("not-the-secret", body)), body, 401, credentials, "does not match the body"));
        cases.add(new HttpCase("the signature of another body", path(Kind.EVENT), Map.of("Content-Type", "application/json",
            credentials, signature("{}".getBytes(StandardCharsets.UTF_8))), body, 401, credentials, "does not match the body"));
        cases.add(new HttpCase("a signature that is not hex", registrations, Map.of("Content-Type", "application/json", credentials,
            "sha256=" + "zz".repeat(32)), body, 401, credentials, "must be sha256="));
        cases.add(new HttpCase("an MD5 signature", registrations, Map.of("Content-Type", "application/json", credentials,
            "md5=0123456789abcdef0123456789abcdef"), body, 401, credentials, "must be sha256="));
        cases.add(new HttpCase("an empty signature", registrations, Map.of("Content-Type", "application/json", credentials,
            "sha256="), body, 401, credentials, "must be sha256="));
        cases.add(new HttpCase("a bearer token where none is accepted", registrations, Map.of("Content-Type", "application/json",
            "Authorization", "Bearer not-the-token"), body, 401, "Authorization", "is not accepted by this server"));
        cases.add(new HttpCase("basic authentication", path(Kind.EVENT), Map.of("Content-Type", "application/json", "Authorization",
            "Basic YWRtaW46YWRtaW4="), body, 401, "Authorization", "is not accepted by this server"));
        cases.add(new HttpCase("no Content-Type", registrations, Map.of(credentials, signature(body)), body, 415, "Content-Type",
            "application/json"));
        for (String type : List.of("text/plain", "application/json; charset=iso-8859-1", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded")) {
            cases.add(new HttpCase("Content-Type " + type, registrations, Map.of("Content-Type", type, credentials, signature(body)),
                body, 415, "Content-Type", "application/json"));
        }
        byte[] over = ("{\"email\":\"" + "a".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        cases.add(new HttpCase("a 70 KiB body", registrations, signed(over), over, 413, "body", "at most 65536 bytes"));
        // Last: the connection it was sent on is closed after the answer (see refusals).
        cases.add(new HttpCase("a 20 KiB header", registrations, Map.of("Content-Type", "application/json", credentials,
            "sha256=" + "0".repeat(20 * 1024)), body, 431, null, null));
        return cases;
    }

    /** A Standard Webhooks request that must be refused (or, for a replay, answered without being carried out again). */
    private record StandardCase(String name, String path, Map<String, String> headers, byte[] body, int status, String field,
                                String problem) {
    }

    /**
     * Abuses of the Standard Webhooks scheme, each beside a good delivery that shows what is refused and what is not:
     * replays inside and outside the window, clock skew, a signature list of many entries, entries that are not base64,
     * a webhook-id reused for another body, malformed ids and timestamps, a header over the server's limit.
     */
    private List<StandardCase> standardWebhooksCases(Bridge bridge, Map<String, Kind> goodIds, SoftAssertions softly) throws Exception {
        List<StandardCase> cases = new ArrayList<>();
        String registrations = path(Kind.REGISTRATION);
        byte[] other = goodBody(Kind.REGISTRATION, "never-carried-out", 0);
        long now = StandardWebhooksSender.now();

        // A good delivery; the same request again is a replay inside the window: 202 replay, nothing more on Kafka.
        Map<String, String> delivered = postGoodStandard(bridge, goodIds, softly, "msg_hostile_first", now);
        byte[] deliveredBody = goodBody(Kind.REGISTRATION, good(Kind.REGISTRATION, goodCount), goodCount);
        HttpResponse<String> replay = post(bridge, registrations, delivered, deliveredBody);
        softly.assertThat(replay.statusCode()).as("a replay inside the window").isEqualTo(202);
        softly.assertThat(answerJson(replay.body()).path("replay").asBoolean()).as("answered as a replay: %s", replay.body()).isTrue();
        cases.add(new StandardCase("the same webhook-id for another body", registrations,
            python.headers(STANDARD_SECRET, "msg_hostile_first", other), other, 409, "webhook-id", "was used for another request"));
        // Captured while valid and replayed once its timestamp has left the window.
        Map<String, String> captured = postGoodStandard(bridge, goodIds, softly, "msg_hostile_captured", now - TOLERANCE_SECONDS + 2);
        byte[] capturedBody = goodBody(Kind.REGISTRATION, good(Kind.REGISTRATION, goodCount), goodCount);
        Thread.sleep(3_500);
        cases.add(new StandardCase("a replay outside the window", registrations, captured, capturedBody, 401, "webhook-timestamp",
            "s in the past"));
        // Clock skew: within the tolerance carried out, beyond it refused either way.
        now = StandardWebhooksSender.now();
        postGoodStandard(bridge, goodIds, softly, "msg_hostile_behind", now - TOLERANCE_SECONDS / 2);
        postGoodStandard(bridge, goodIds, softly, "msg_hostile_ahead", now + TOLERANCE_SECONDS / 2);
        cases.add(new StandardCase("a sender clock 90 s behind", registrations,
            python.headers(STANDARD_SECRET, "msg_hostile_old", now - TOLERANCE_SECONDS - 60, other), other, 401, "webhook-timestamp", "in the past"));
        cases.add(new StandardCase("a sender clock 90 s ahead", registrations,
            python.headers(STANDARD_SECRET, "msg_hostile_new", now + TOLERANCE_SECONDS + 60, other), other, 401, "webhook-timestamp", "in the future"));
        cases.add(new StandardCase("a timestamp a year ahead", registrations,
            python.headers(STANDARD_SECRET, "msg_hostile_year", now + 365L * 24 * 3600, other), other, 401, "webhook-timestamp", "in the future"));
        // Signature lists: the valid entry among 150 others is enough; 150 wrong ones are not; entries that are not base64.
        String garbage = java.util.stream.IntStream.range(0, 150)
            .mapToObj(i -> "v1," + java.util.Base64.getEncoder().encodeToString(("not the signature " + i).getBytes(StandardCharsets.UTF_8)))
            .collect(Collectors.joining(" "));
        int n = ++goodCount;
        byte[] many = goodBody(Kind.REGISTRATION, good(Kind.REGISTRATION, n), n);
        Map<String, String> manyHeaders = new LinkedHashMap<>(python.headers(STANDARD_SECRET, "msg_hostile_many", now, many));
        manyHeaders.put("webhook-signature", garbage + " " + manyHeaders.get("webhook-signature"));
        HttpResponse<String> manyAnswer = post(bridge, registrations, manyHeaders, many);
        softly.assertThat(manyAnswer.statusCode()).as("the valid signature among 150 others: %s", manyAnswer.body()).isEqualTo(202);
        goodIds.put(good(Kind.REGISTRATION, n), Kind.REGISTRATION);
        cases.add(new StandardCase("150 signatures, none valid", registrations,
            withHeader(python.headers(STANDARD_SECRET, "msg_hostile_150", now, other), "webhook-signature", garbage), other, 401,
            "webhook-signature", "matches no secret"));
        cases.add(new StandardCase("entries that are not base64", registrations,
            withHeader(python.headers(STANDARD_SECRET, "msg_hostile_b64", now, other), "webhook-signature", "v1,!!!! v1,%%% v1,<script>"),
            other, 401, "webhook-signature", "has no v1,<base64> entry"));
        cases.add(new StandardCase("an asymmetric (v1a) signature only", registrations,
            withHeader(python.headers(STANDARD_SECRET, "msg_hostile_v1a", now, other), "webhook-signature", "v1a,AAAA"), other, 401,
            "webhook-signature", "has no v1,<base64> entry"));
        cases.add(new StandardCase("signed with another whsec_ secret", registrations,
            python.headers(StandardWebhooksSender.secret("not-the-secret"), "msg_hostile_other_key", now, other), other, 401,
            "webhook-signature", "matches no secret"));
        cases.add(new StandardCase("a webhook-id of 201 characters", registrations,
            python.headers(STANDARD_SECRET, "m".repeat(201), now, other), other, 401, "webhook-id", "1 to 200 visible ASCII"));
        cases.add(new StandardCase("a webhook-id with a space", registrations,
            python.headers(STANDARD_SECRET, "msg hostile", now, other), other, 401, "webhook-id", "1 to 200 visible ASCII"));
        cases.add(new StandardCase("a timestamp in milliseconds with a fraction", registrations,
            withHeader(python.headers(STANDARD_SECRET, "msg_hostile_ms", now, other), "webhook-timestamp", now + "000.5"), other, 401,
            "webhook-timestamp", "whole seconds"));
        cases.add(new StandardCase("an ISO-8601 timestamp", registrations,
            withHeader(python.headers(STANDARD_SECRET, "msg_hostile_iso", now, other), "webhook-timestamp", "2026-12-01T10:00:00Z"), other,
            401, "webhook-timestamp", "whole seconds"));
        Map<String, String> noSignature = new LinkedHashMap<>(python.headers(STANDARD_SECRET, "msg_hostile_nosig", now, other));
        noSignature.remove("webhook-signature");
        cases.add(new StandardCase("no webhook-signature", registrations, noSignature, other, 401, "webhook-signature", "is missing"));
        // Last: a header over the server's limit (8 KiB), answered by the HTTP server, which then closes the connection.
        cases.add(new StandardCase("a 20 KiB signature list", registrations, withHeader(python.headers(STANDARD_SECRET,
            "msg_hostile_huge", now, other), "webhook-signature", garbage + (" " + garbage).repeat(2)), other, 431, null, null));
        return cases;
    }

    /** A good registration as a Standard Webhooks delivery (signed by Python); the headers it was sent with. */
    private Map<String, String> postGoodStandard(Bridge bridge, Map<String, Kind> goodIds, SoftAssertions softly, String webhookId,
                                                 long timestamp) throws Exception {
        int n = ++goodCount;
        String commandId = good(Kind.REGISTRATION, n);
        byte[] body = goodBody(Kind.REGISTRATION, commandId, n);
        Map<String, String> headers = python.headers(STANDARD_SECRET, webhookId, timestamp, body);
        HttpResponse<String> answer = post(bridge, path(Kind.REGISTRATION), headers, body);
        softly.assertThat(answer.statusCode()).as("status for good Standard Webhooks delivery %s: %s", webhookId, answer.body())
            .isEqualTo(202);
        goodIds.put(commandId, Kind.REGISTRATION);
        return headers;
    }

    private static Map<String, String> withHeader(Map<String, String> headers, String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(headers);
        changed.put(name, value);
        return changed;
    }

    /**
     * Many connections held open, half sending nothing and half sending their headers a line at a time: good commands
     * go through meanwhile, and every one of them is closed by flow-bridge after the header timeout.
     */
    private String holdConnections(Bridge bridge, Map<String, Kind> goodIds, SoftAssertions softly) throws Exception {
        List<java.net.Socket> held = new ArrayList<>();
        long opened = System.nanoTime();
        for (int i = 0; i < HELD_CONNECTIONS; i++) {
            java.net.Socket socket = new java.net.Socket("127.0.0.1", bridge.webhookPort);
            socket.setSoTimeout(1); // isOpen only looks
            if (i % 2 == 1) {
                socket.getOutputStream().write("POST /webhooks/registrations HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            held.add(socket);
        }
        for (int round = 0; round < 4; round++) {
            for (int i = 1; i < held.size(); i += 2) {
                try {
                    held.get(i).getOutputStream().write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException cut) {
                    // cut already
                }
            }
            postGood(bridge, goodIds, softly);
            Thread.sleep(400);
        }
        long deadline = opened + Duration.ofSeconds(HEADER_TIMEOUT_SECONDS + 5).toNanos();
        int open = held.size();
        while (open > 0 && System.nanoTime() < deadline) {
            open = 0;
            for (java.net.Socket socket : held) {
                open += isOpen(socket) ? 1 : 0;
            }
        }
        double cutAfter = (System.nanoTime() - opened) / 1e9;
        softly.assertThat(open).as("held connections still open %.1f s after they were opened", cutAfter).isZero();
        for (java.net.Socket socket : held) {
            socket.close();
        }
        return String.format("%d connections held open (half idle, half sending headers slowly), all closed by flow-bridge "
            + "%.1f s after opening (header timeout %d s), good commands accepted meanwhile", HELD_CONNECTIONS, cutAfter, HEADER_TIMEOUT_SECONDS);
    }

    private static boolean isOpen(java.net.Socket socket) {
        try {
            return socket.getInputStream().read() != -1;
        } catch (java.net.SocketTimeoutException open) {
            return true;
        } catch (java.io.IOException reset) {
            return false;
        }
    }

    private void postGood(Bridge bridge, Map<String, Kind> goodIds, SoftAssertions softly) throws Exception {
        int n = ++goodCount;
        Kind kind = n % 2 == 0 ? Kind.EVENT : Kind.REGISTRATION;
        String commandId = good(kind, n);
        byte[] body = goodBody(kind, commandId, n);
        HttpResponse<String> answer = post(bridge, path(kind), signed(body), body);
        softly.assertThat(answer.statusCode()).as("status for good command %s: %s", commandId, answer.body()).isEqualTo(202);
        goodIds.put(commandId, kind);
    }

    private HttpResponse<String> post(Bridge bridge, String path, Map<String, String> headers, byte[] body) throws Exception {
        return post(http, bridge, path, headers, body);
    }

    private static HttpResponse<String> post(HttpClient client, Bridge bridge, String path, Map<String, String> headers, byte[] body)
        throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.webhookPort + path))
            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HttpContract.send(client, request.build());
    }

    private static String path(Kind kind) {
        return kind == Kind.REGISTRATION ? "/webhooks/registrations" : "/webhooks/events";
    }

    private static Map<String, String> signed(byte[] body) {
        return Map.of("Content-Type", "application/json", WebhookAuth.SIGNATURE_HEADER, signature(body));
    }

    private static String signature(byte[] body) {
        return WebhookAuth.signature(WEBHOOK_SECRET, body);
    }

    // ---- good commands

    private static String good(Kind kind, int n) {
        return (kind == Kind.REGISTRATION ? "good-registration-" : "good-event-") + n;
    }

    private static byte[] goodBody(Kind kind, String commandId, int n) {
        String body = kind == Kind.REGISTRATION
            ? "{\"commandId\":\"" + commandId + "\",\"email\":\"good-" + n + "@example.com\",\"firstName\":\"Good\",\"lastName\":\"N" + n
                + "\",\"eventSessionToken\":\"" + HostileCorpus.SESSION + "\"}"
            : "{\"commandId\":\"" + commandId + "\",\"creatorID\":101,\"title\":\"Good event " + n + "\",\"description\":\"d\","
                + "\"date\":\"2027-03-04\",\"time\":\"15:30:00\",\"timezone\":\"Europe/Paris\",\"operators\":[{\"id\":101,\"role\":10,"
                + "\"micEnabled\":true,\"camEnabled\":true,\"screenSharingEnabled\":false}]}";
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode answerJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception notJson) {
            return JSON.createObjectNode();
        }
    }

    private static String abbreviated(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
