package com.flowbridge.command;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.sandbox.FaultRule;
import com.flowbridge.sandbox.RecordedRequest;
import com.flowbridge.observe.Metrics;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TestProducer;
import com.flowbridge.testing.TopicContracts;
import com.flowbridge.testing.TopicProbe;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import static com.flowbridge.testing.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

/** The shipped registration routes against the FLOW sandbox over HTTP and a real Kafka broker. */
class RegistrationCommandsIT extends SandboxTest {

    private static final Duration QUIET = Duration.ofSeconds(3);

    @Test
    void a_registration_command_registers_the_person_once_and_says_so_with_the_login_link() {
        TopicProbe results = probe("kafka.topic.registration-results");
        startBridge();
        send("live-townhall:ada@example.com", command("cmd-ada", "Ada@Example.com ", "live-townhall", ""));

        ConsumerRecord<String, String> result = results.awaitCount(1, WAIT).get(0);
        JsonNode outcome = value(result);
        assertThat(result.key()).isEqualTo("live-townhall");
        assertThat(outcome.path("commandId").asText()).isEqualTo("cmd-ada");
        assertThat(outcome.path("status").asText()).isEqualTo("registered");
        assertThat(outcome.path("email").asText()).isEqualTo("Ada@Example.com");
        assertThat(outcome.path("eventSessionToken").asText()).isEqualTo("live-townhall");
        assertThat(outcome.path("httpStatus").asInt()).isEqualTo(200);
        assertThat(outcome.get("reason").isNull()).isTrue();
        assertThat(outcome.path("attempts").asInt()).isEqualTo(1);
        assertThat(outcome.path("loginUrl").asText()).startsWith("http://").contains("/login/");
        assertThat(outcome.path("flowResponse").toString()).contains("Ada@Example.com");
        assertThat(outcome.path("ts_ms").asLong()).isPositive();
        assertThat(header(result, "command-id")).isEqualTo("cmd-ada");
        assertThat(header(result, "command-status")).isEqualTo("registered");
        assertThat(header(result, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(result, "ce_type")).isEqualTo("flow.registration.registered");
        assertThat(header(result, "ce_source")).isEqualTo(sandbox.baseUrl() + "/registrants");
        assertThat(header(result, "ce_subject")).isEqualTo("cmd-ada");
        assertThat(header(result, "ce_id")).isNotBlank();
        assertThat(header(result, "ce_time")).isNotBlank();
        assertThat(header(result, "content-type")).isEqualTo("application/json");

        RecordedRequest post = flow().requests("POST", "/registrants").get(0);
        assertThat(json(post.body())).isEqualTo(json(
            "{\"email\":\"Ada@Example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"eventSessionToken\":\"live-townhall\"}"));
        assertThat(post.apiSecretValid()).isTrue();
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of("cmd-ada", 1L));
        assertThat(flow().registrants("live-townhall")).anyMatch(r -> r.path("email").asText().equalsIgnoreCase("ada@example.com"));
    }

    @Test
    void a_redirect_registration_gives_the_login_link_flow_redirects_to() {
        TopicProbe results = probe("kafka.topic.registration-results");
        startBridge();
        send("live-townhall:grace@example.com", command("cmd-sso", "grace@example.com", "live-townhall", ",\"redirect\":true"));

        JsonNode outcome = value(results.awaitCount(1, WAIT).get(0));
        assertThat(outcome.path("status").asText()).isEqualTo("registered");
        assertThat(outcome.path("httpStatus").asInt()).isEqualTo(302);
        String registered = flow().registrants("live-townhall").stream()
            .filter(r -> r.path("email").asText().equals("grace@example.com")).findFirst().orElseThrow().path("loginUrl").asText();
        assertThat(outcome.path("loginUrl").asText()).isEqualTo(registered);
        assertThat(json(flow().requests("POST", "/registrants").get(0).body()).path("redirect").asBoolean()).isTrue();
    }

    @Test
    void flow_refusing_a_registration_is_rejected_with_flows_message_and_not_retried() {
        TopicProbe results = probe("kafka.topic.registration-results");
        TopicProbe deadLetters = probe("kafka.topic.registration-dlq");
        flow().addFault(FaultRule.fromJson(json(
            "{\"method\":\"POST\",\"path\":\"/registrants\",\"status\":422,\"body\":\"{\\\"message\\\":\\\"Email domain is blocked\\\"}\",\"times\":1}")));
        startBridge();
        send("k", command("cmd-blocked", "ada@blocked.example", "live-townhall", ""));
        results.awaitCount(1, WAIT);
        send("k", command("cmd-unknown", "ada@example.com", "no-such-session", ""));

        List<ConsumerRecord<String, String>> records = results.awaitCount(2, WAIT);
        JsonNode blocked = outcomeOf(records, "cmd-blocked");
        assertThat(blocked.path("status").asText()).isEqualTo("rejected");
        assertThat(blocked.path("httpStatus").asInt()).isEqualTo(422);
        assertThat(blocked.path("reason").asText()).isEqualTo("Email domain is blocked");
        assertThat(blocked.path("flowResponse").path("message").asText()).isEqualTo("Email domain is blocked");
        assertThat(blocked.path("attempts").asInt()).isEqualTo(1);
        JsonNode unknown = outcomeOf(records, "cmd-unknown");
        assertThat(unknown.path("status").asText()).isEqualTo("rejected");
        assertThat(unknown.path("httpStatus").asInt()).isEqualTo(404);
        assertThat(unknown.path("reason").asText()).isEqualTo("Session not found");
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of("cmd-blocked", 1L, "cmd-unknown", 1L));
        assertThat(deadLetters.newRecordsWithin(Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void a_registration_for_a_session_known_to_have_ended_is_rejected_without_asking_flow() {
        TopicProbe events = probe("kafka.topic.events");
        TopicProbe results = probe("kafka.topic.registration-results");
        startBridge();
        events.awaitCount(5, WAIT);
        send("k", command("cmd-past", "ada@example.com", "past-security", ""));

        JsonNode outcome = value(results.awaitCount(1, WAIT).get(0));
        assertThat(outcome.path("status").asText()).isEqualTo("rejected");
        assertThat(outcome.path("reason").asText()).contains("eventSessionToken", "ended");
        assertThat(flow().requestCount("POST", "/registrants")).isZero();
    }

    @Test
    void a_503_twice_then_success_is_one_registration_after_three_attempts() {
        TopicProbe results = probe("kafka.topic.registration-results");
        flow().addFault(FaultRule.fromJson(json("{\"method\":\"POST\",\"path\":\"/registrants\",\"status\":503,\"times\":2}")));
        startBridge();
        send("k", command("cmd-retry", "ada@example.com", "future-roadmap-1", ""));

        JsonNode outcome = value(results.awaitCount(1, WAIT).get(0));
        assertThat(outcome.path("status").asText()).isEqualTo("registered");
        assertThat(outcome.path("attempts").asInt()).isEqualTo(3);
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of("cmd-retry", 3L));
        assertThat(flow().registrants("future-roadmap-1")).filteredOn(r -> r.path("email").asText().equals("ada@example.com")).hasSize(1);
        assertThat(results.newRecordsWithin(Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void a_429_is_retried_after_the_retry_after_flow_asks_for() {
        TopicProbe results = probe("kafka.topic.registration-results");
        flow().addFault(FaultRule.fromJson(json(
            "{\"method\":\"POST\",\"path\":\"/registrants\",\"status\":429,\"retryAfter\":\"2\",\"times\":1}")));
        startBridge();
        send("k", command("cmd-429", "ada@example.com", "future-roadmap-1", ""));

        JsonNode outcome = value(results.awaitCount(1, WAIT).get(0));
        assertThat(outcome.path("status").asText()).isEqualTo("registered");
        assertThat(outcome.path("attempts").asInt()).isEqualTo(2);
        List<RecordedRequest> posts = flow().requests("POST", "/registrants");
        assertThat(Duration.between(Instant.parse(posts.get(0).time()), Instant.parse(posts.get(1).time())))
            .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void a_command_failing_after_every_attempt_is_failed_and_a_dead_letter_with_its_original_bytes() {
        TopicProbe results = probe("kafka.topic.registration-results");
        TopicProbe deadLetters = probe("kafka.topic.registration-dlq");
        flow().addFault(FaultRule.fromJson(json("{\"method\":\"POST\",\"path\":\"/registrants\",\"status\":503}")));
        startBridge(Map.of("flow.api.max-attempts", "3"));
        String command = command("cmd-down", "ada@example.com", "future-roadmap-1", "");
        send("future-roadmap-1:ada@example.com", command);

        JsonNode outcome = value(results.awaitCount(1, WAIT).get(0));
        assertThat(outcome.path("status").asText()).isEqualTo("failed");
        assertThat(outcome.path("attempts").asInt()).isEqualTo(3);
        assertThat(outcome.path("httpStatus").asInt()).isEqualTo(503);
        ConsumerRecord<String, String> deadLetter = deadLetters.awaitCount(1, WAIT).get(0);
        assertThat(deadLetter.value()).isEqualTo(command);
        assertThat(deadLetter.key()).isEqualTo("future-roadmap-1:ada@example.com");
        assertThat(header(deadLetter, "dlq-reason")).contains("3 attempts", "503");
        assertThat(header(deadLetter, "dlq-source-topic")).isEqualTo(topics.get("kafka.topic.registration-commands"));
        assertThat(header(deadLetter, "dlq-source-partition")).isNotNull();
        assertThat(header(deadLetter, "dlq-source-offset")).isEqualTo("0");
        assertThat(header(deadLetter, "dlq-time")).isNotNull();
        assertThat(header(deadLetter, "command-status")).isEqualTo("failed");
        assertThat(header(deadLetter, "ce_type")).isEqualTo("flow.registration.dead-letter");
        assertThat(header(deadLetter, "ce_subject")).isEqualTo("cmd-down");
        assertThat(header(deadLetter, "content-type")).isEqualTo("application/json");
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of("cmd-down", 3L));
    }

    @Test
    void a_record_without_a_value_is_rejected_and_its_dead_letter_has_no_value_either() {
        TopicProbe results = probe("kafka.topic.registration-results");
        startBridge();
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            producer.send(topics.get("kafka.topic.registration-commands"), "live-townhall:nobody@example.com", (byte[]) null);
        }

        JsonNode outcome = value(results.awaitCount(1, WAIT).get(0));
        assertThat(outcome.path("status").asText()).isEqualTo("rejected");
        assertThat(outcome.path("reason").asText()).contains("body", "empty");
        List<ConsumerRecord<String, byte[]>> letters = rawDeadLetterRecords(1);
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).key()).isEqualTo("live-townhall:nobody@example.com");
        assertThat(letters.get(0).value()).isNull();
        assertThat(header(letters.get(0), "dlq-reason")).contains("empty");
    }

    @Test
    void a_command_id_record_header_gives_the_command_its_commandid_whatever_the_value_says() {
        TopicProbe results = probe("kafka.topic.registration-results");
        startBridge();
        String command = command("cmd-in-body", "ada@example.com", "live-townhall", "");
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            producer.send(topics.get("kafka.topic.registration-commands"), "live-townhall:ada@example.com", command,
                Map.of("command-id", "cmd-from-header"));
        }

        ConsumerRecord<String, String> result = results.awaitCount(1, WAIT).get(0);
        assertThat(value(result).path("commandId").asText()).isEqualTo("cmd-from-header");
        assertThat(header(result, "command-id")).isEqualTo("cmd-from-header");
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of("cmd-from-header", 1L));
    }

    @Test
    void malformed_and_invalid_commands_are_dead_letters_and_the_next_command_still_goes_through() {
        TopicProbe results = probe("kafka.topic.registration-results");
        TopicProbe deadLetters = probe("kafka.topic.registration-dlq");
        var bridge = startBridge();
        byte[] malformed = "{\"email\": \"ada@example.com\", oops".getBytes(StandardCharsets.UTF_8);
        byte[] notUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            String topic = topics.get("kafka.topic.registration-commands");
            producer.send(topic, "k", malformed);
            producer.send(topic, "k", notUtf8);
            producer.send(topic, "k", command("cmd-bad-email", "ada@", "live-townhall", ""));
            producer.send(topic, "k", "{\"commandId\":\"cmd-empty\",\"firstName\":\" \"}");
            producer.send(topic, "k", command("cmd-good", "ada@example.com", "live-townhall", ""));
        }

        List<ConsumerRecord<String, String>> records = results.awaitCount(5, WAIT);
        assertThat(records).extracting(r -> value(r).path("status").asText())
            .containsExactlyInAnyOrder("rejected", "rejected", "rejected", "rejected", "registered");
        JsonNode badEmail = outcomeOf(records, "cmd-bad-email");
        assertThat(badEmail.path("reason").asText()).contains("email is not a valid email address");
        assertThat(badEmail.path("errors").get(0).path("field").asText()).isEqualTo("email");
        JsonNode empty = outcomeOf(records, "cmd-empty");
        assertThat(empty.path("errors").findValuesAsText("field")).containsExactly("email", "firstName", "lastName", "eventSessionToken");
        assertThat(records).extracting(r -> value(r).path("reason").asText()).filteredOn(reason -> reason.startsWith("malformed command"))
            .hasSize(2);

        List<ConsumerRecord<String, String>> letters = deadLetters.awaitCount(4, WAIT);
        assertThat(letters).hasSize(4);
        assertThat(letters).extracting(r -> header(r, "dlq-reason")).anyMatch(reason -> reason.contains("email is not a valid email address"));
        assertThat(rawDeadLetters(4)).anyMatch(bytes -> Arrays.equals(bytes, malformed)).anyMatch(bytes -> Arrays.equals(bytes, notUtf8));
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of("cmd-good", 1L));

        // Operators see it in the metrics: four dead letters, five outcomes timed by status.
        MeterRegistry meters = bridge.context().getRegistry().lookupByNameAndType("metrics", Metrics.class).registry();
        assertThat(meters.get("flowbridge.dead.letters").tag("topic", topics.get("kafka.topic.registration-dlq")).counter().count())
            .isEqualTo(4.0);
        assertThat(meters.get("flowbridge.command.latency").tag("kind", "registration").tag("status", "rejected").timer().count())
            .isEqualTo(4L);
        assertThat(meters.get("flowbridge.command.latency").tag("status", "registered").timer().count()).isEqualTo(1L);
    }

    @Test
    void the_same_command_sent_twice_is_registered_once_and_the_second_is_a_duplicate_with_the_original_result() {
        TopicProbe results = probe("kafka.topic.registration-results");
        startBridge();
        String command = "{\"email\":\"ada@example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"eventSessionToken\":\"live-townhall\"}";
        send("k", command);
        JsonNode first = value(results.awaitCount(1, WAIT).get(0));
        send("k", command.replace("ada@example.com", " ADA@example.com"));

        JsonNode second = value(results.awaitCount(2, WAIT).get(1));
        assertThat(first.path("status").asText()).isEqualTo("registered");
        assertThat(second.path("status").asText()).isEqualTo("duplicate");
        assertThat(second.path("commandId").asText()).isEqualTo(first.path("commandId").asText()).isNotBlank();
        assertThat(second.path("originalStatus").asText()).isEqualTo("registered");
        assertThat(second.path("loginUrl").asText()).isEqualTo(first.path("loginUrl").asText());
        assertThat(second.path("attempts").asInt()).isZero();
        assertThat(flow().requestCount("POST", "/registrants")).isEqualTo(1);
    }

    @Test
    void redelivered_commands_are_not_sent_to_flow_again_nor_answered_twice_also_across_a_restart() throws Exception {
        TopicProbe results = probe("kafka.topic.registration-results");
        var first = startBridge();
        for (int i = 1; i <= 3; i++) {
            send("k" + i, command("cmd-" + i, "person" + i + "@example.com", "live-townhall", ""));
        }
        results.awaitCount(3, WAIT);
        first.close();

        rewindCommandConsumers();
        startBridge();
        assertThat(results.newRecordsWithin(QUIET)).as("redelivered records answered again").isEmpty();
        send("k1", command("cmd-1", "person1@example.com", "live-townhall", ""));

        JsonNode again = value(results.awaitCount(4, WAIT).get(3));
        assertThat(again.path("status").asText()).isEqualTo("duplicate");
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of("cmd-1", 1L, "cmd-2", 1L, "cmd-3", 1L));
    }

    @Test
    void a_registration_interrupted_mid_call_is_looked_up_in_flow_before_anything_is_sent_again() {
        TopicProbe results = probe("kafka.topic.registration-results");
        // What an instance that crashed after sending to FLOW leaves behind: the command records, a pending marker for
        // each on the ledger partition of its command partition, and no outcome.
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            for (String commandId : List.of("cmd-landed", "cmd-lost")) {
                String email = commandId.equals("cmd-landed") ? "landed@example.com" : "lost@example.com";
                RecordMetadata command = producer.send(topics.get("kafka.topic.registration-commands"), "k",
                    command(commandId, email, "live-townhall", ""));
                producer.send(topics.get("kafka.topic.command-ledger"), command.partition(), "registration:" + commandId,
                    "{\"state\":\"pending\",\"kind\":\"registration\",\"commandId\":\"" + commandId + "\",\"source\":\""
                        + command.topic() + "/" + command.partition() + "/" + command.offset() + "\"}");
            }
        }
        flow().addRegistrant("live-townhall", json("{\"email\":\"landed@example.com\",\"firstName\":\"Lan\",\"lastName\":\"Ded\"}"));
        startBridge();

        List<ConsumerRecord<String, String>> records = results.awaitCount(2, WAIT);
        JsonNode landed = outcomeOf(records, "cmd-landed");
        assertThat(landed.path("status").asText()).isEqualTo("registered");
        assertThat(landed.path("reason").asText()).contains("already has this registration");
        assertThat(landed.path("loginUrl").asText()).isNotBlank();
        assertThat(outcomeOf(records, "cmd-lost").path("status").asText()).isEqualTo("registered");
        assertThat(flow().postsByCommandId()).isEqualTo(Map.of("cmd-lost", 1L));
    }

    @Test
    void one_persons_commands_for_one_session_reach_flow_in_order_while_others_run_alongside() {
        TopicProbe results = probe("kafka.topic.registration-results");
        startBridge();
        send("warm-up", command("cmd-warm-up", "first@example.com", "live-townhall", ""));
        results.awaitCount(1, WAIT);
        flow().setLatency("POST", "/registrants", 200);
        flow().clearRequests();
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            String topic = topics.get("kafka.topic.registration-commands");
            for (int i = 0; i < 40; i++) {
                String email = i % 5 == 0 ? "same@example.com" : "other" + i + "@example.com";
                producer.send(topic, "live-townhall:" + email, "{\"commandId\":\"cmd-" + i + "\",\"email\":\"" + email
                    + "\",\"firstName\":\"n" + (100 + i) + "\",\"lastName\":\"L\",\"eventSessionToken\":\"live-townhall\"}");
            }
        }
        long started = System.nanoTime();
        results.awaitCount(41, WAIT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        List<String> samePerson = flow().requests("POST", "/registrants").stream().map(r -> json(r.body()))
            .filter(body -> body.path("email").asText().equals("same@example.com"))
            .map(body -> body.path("firstName").asText()).toList();
        assertThat(samePerson).containsExactly("n100", "n105", "n110", "n115", "n120", "n125", "n130", "n135");
        // 40 calls of 200 ms one after another take 8 s; the same person's 8 take 1.6 s in any case.
        assertThat(took).isLessThan(Duration.ofMillis(3500));
    }

    /**
     * Members joining and leaving the command group (instances scaled up and down, a member timed out) move command
     * partitions away from an instance and back: records it had read but not yet handed to its route belong to another
     * member for a while, and come again from the committed offsets once the partition is back. Each command must still
     * have one outcome and one FLOW call.
     */
    @Test
    void while_the_command_group_rebalances_again_and_again_each_command_has_one_outcome_and_one_flow_call() throws Exception {
        TopicProbe results = probe("kafka.topic.registration-results");
        startBridge();
        // At least 400 commands, trickling in for as long as it takes the churn to rebalance the group 6 times (each join
        // and leave is 2; on a busy machine one takes more than a second), and at most 4,000.
        int commands = 0;
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger rebalances = new AtomicInteger();
        Thread churn = new Thread(() -> {
            while (sending.get()) {
                joinAndLeaveCommandGroup();
                rebalances.addAndGet(2);
            }
        }, "command-group-churn");
        churn.start();
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            String topic = topics.get("kafka.topic.registration-commands");
            while ((commands < 400 || rebalances.get() < 6) && commands < 4000) {
                String email = "churn" + commands + "@example.com";
                producer.send(topic, "live-townhall:" + email, command("churn-" + commands, email, "live-townhall", ""));
                commands++;
                Thread.sleep(10);
            }
        } finally {
            sending.set(false);
            churn.join();
        }
        results.awaitCount(commands, Duration.ofSeconds(90));
        results.newRecordsWithin(QUIET);

        Map<String, List<String>> outcomesByCommand = new HashMap<>();
        results.records().stream().map(SandboxTest::value).forEach(outcome -> outcomesByCommand
            .computeIfAbsent(outcome.path("commandId").asText(), id -> new ArrayList<>()).add(outcome.path("status").asText()));
        assertThat(rebalances.get()).as("rebalances of the command group while the commands came").isGreaterThanOrEqualTo(6);
        assertThat(outcomesByCommand).as("outcomes per commandId").hasSize(commands)
            .allSatisfy((commandId, statuses) -> assertThat(statuses).as(commandId).containsExactly("registered"));
        assertThat(flow().postsByCommandId()).as("FLOW calls per commandId").hasSize(commands)
            .allSatisfy((commandId, calls) -> assertThat(calls).as(commandId).isEqualTo(1L));
    }

    /** A member of the bridge's command group for as long as it takes to be given a command partition; it reads nothing. */
    private void joinAndLeaveCommandGroup() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, topics.get("kafka.topic.command-ledger") + ".consumers");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> member = new KafkaConsumer<>(properties)) {
            member.subscribe(List.of(topics.get("kafka.topic.registration-commands")));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
                member.poll(Duration.ofMillis(100));
            }
        }
    }

    private void rewindCommandConsumers() throws Exception {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            String topic = topics.get("kafka.topic.registration-commands");
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(partition -> start.put(new TopicPartition(topic, partition.partition()), new OffsetAndMetadata(0)));
            admin.alterConsumerGroupOffsets(topics.get("kafka.topic.command-ledger") + ".consumers", start).all().get();
        }
    }

    private void send(String key, String value) {
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            producer.send(topics.get("kafka.topic.registration-commands"), key, value);
        }
    }

    static String command(String commandId, String email, String session, String more) {
        return "{\"commandId\":\"" + commandId + "\",\"email\":\"" + email + "\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\","
            + "\"eventSessionToken\":\"" + session + "\"" + more + "}";
    }

    static JsonNode outcomeOf(List<ConsumerRecord<String, String>> records, String commandId) {
        return records.stream().map(SandboxTest::value).filter(v -> v.path("commandId").asText().equals(commandId))
            .findFirst().orElseThrow(() -> new AssertionError("No outcome for " + commandId));
    }

    /** The dead letters' values as bytes, exactly as they are on the topic (each record checked against its contract). */
    private List<byte[]> rawDeadLetters(int count) {
        return rawDeadLetterRecords(count).stream().map(ConsumerRecord::value).toList();
    }

    /** The dead letters, read committed as consumers are told to, values as bytes exactly as they are on the topic. */
    private List<ConsumerRecord<String, byte[]>> rawDeadLetterRecords(int count) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        String topic = topics.get("kafka.topic.registration-dlq");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    TopicContracts.get().check(TopicContracts.get().require(topic), record);
                    records.add(record);
                });
            }
        }
        return records;
    }
}
