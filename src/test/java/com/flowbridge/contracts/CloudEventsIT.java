package com.flowbridge.contracts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import com.flowbridge.testing.HttpContract;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestBridge;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TestProducer;
import com.flowbridge.testing.TopicContracts;
import com.flowbridge.testing.TopicProbe;
import com.flowbridge.webhook.WebhookAuth;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every product topic, read as a consumer that dispatches on CloudEvents reads it: with the CloudEvents SDK's Kafka
 * binding ({@link CloudEventDeserializer}, binary mode). flow-bridge runs against the sandbox until every product topic
 * has records (changes with tombstones, a lifecycle record, report rows and manifests, outcomes and dead letters of
 * both command kinds, a report request over HTTP); then each topic is read whole, and a record the SDK cannot read,
 * or whose ce_type the AsyncAPI document does not list for its topic, fails the test.
 *
 * <p>A tombstone's value is null, and Kafka's consumer hands a null value to no deserializer: a consumer configured with
 * CloudEventDeserializer gets null, not an event. The binding reads a tombstone from its headers alone
 * ({@link KafkaMessageFactory#createReader(org.apache.kafka.common.header.Headers, byte[])} with no value): a CloudEvent
 * without data. That is what this test does for them, and what the README tells consumers to do.
 */
class CloudEventsIT extends SandboxTest {

    private static final String SECRET = "cloudevents-webhook-secret";
    private static final Map<String, String> SETTINGS = Map.of(
        "flow.reports.poll-interval", "1s",
        "flow.reports.initial-delay", "0s",
        "flow.operators.poll.interval", "1s",
        "webhook.secret", SECRET);
    private static final Duration LONG_WAIT = Duration.ofSeconds(60);
    private static final String EVENT = "{\"commandId\":\"ce-event\",\"creatorID\":101,\"title\":\"Quarterly roadmap\","
        + "\"description\":\"What comes next\",\"date\":\"2027-03-04\",\"time\":\"15:30:00\",\"timezone\":\"Europe/Paris\","
        + "\"operators\":[{\"id\":101,\"role\":10,\"micEnabled\":true,\"camEnabled\":true,\"screenSharingEnabled\":false}]}";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void every_record_of_every_product_topic_is_a_cloudevent_the_sdks_kafka_binding_reads() throws Exception {
        TopicProbe events = probe("kafka.topic.events");
        TopicProbe registrants = probe("kafka.topic.registrants");
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        TestBridge bridge = startBridge(SETTINGS);
        events.awaitCount(5, WAIT);
        registrants.awaitCount(12, WAIT);

        // Changes with tombstones, and a lifecycle record.
        flow().patchSession("live-townhall", json("{\"accessStatus\": 3}"));
        flow().deleteSession("future-roadmap-1");
        flow().removeRegistrant("future-roadmap-2", flow().registrants("future-roadmap-2").get(0).path("email").asText());
        events.await(records -> records.stream().anyMatch(record -> record.value() == null), WAIT, "a session tombstone");
        registrants.await(records -> records.stream().anyMatch(record -> record.value() == null), WAIT, "a registrant tombstone");

        // Outcomes and dead letters of both kinds: carried out, malformed, invalid.
        String registration = "{\"commandId\":\"ce-registration\",\"email\":\"ada@example.com\",\"firstName\":\"Ada\","
            + "\"lastName\":\"Lovelace\",\"eventSessionToken\":\"future-roadmap-2\"}";
        assertThat(post(bridge, "/webhooks/registrations", registration).statusCode()).isEqualTo(202);
        assertThat(post(bridge, "/webhooks/events", EVENT).statusCode()).isEqualTo(202);
        try (TestProducer producer = new TestProducer(TestKafka.bootstrapServers())) {
            producer.send(topics.get("kafka.topic.registration-commands"), "future-roadmap-2:ada@", "{\"commandId\":\"ce-bad\",\"email\":\"ada@\"}");
            producer.send(topics.get("kafka.topic.registration-commands"), "k", "not JSON at all");
            producer.send(topics.get("kafka.topic.event-commands"), "ce-bad-event", "{\"commandId\":\"ce-bad-event\",\"title\":\"No date\"}");
        }
        // A report request over HTTP, once the reports of the past sessions are complete.
        manifests.await(records -> records.stream().filter(r -> value(r).path("completed").asBoolean()).count() >= 8, LONG_WAIT,
            "the sample reports completed");
        assertThat(post(bridge, "/reports/past-security", "{\"report\":\"registrants\"}").statusCode()).isEqualTo(202);

        SoftAssertions softly = new SoftAssertions();
        Map<String, Integer> readPerTopic = new TreeMap<>();
        Map<String, Integer> tombstonesPerTopic = new TreeMap<>();
        for (TopicContracts.Channel channel : TopicContracts.get().channels()) {
            if (!channel.isProduct()) {
                continue;
            }
            Set<String> listed = channel.messages().stream().filter(message -> !message.input())
                .flatMap(message -> message.ceTypes().stream()).collect(Collectors.toSet());
            String topic = topicOf(channel);
            List<ConsumerRecord<String, CloudEvent>> records = readAsCloudEvents(topic, minimum(channel));
            readPerTopic.put(channel.address(), records.size());
            for (ConsumerRecord<String, CloudEvent> record : records) {
                String where = channel.address() + "/" + record.partition() + "@" + record.offset() + " key " + record.key();
                // A tombstone's null value reached no deserializer: the binding reads the event from its headers.
                CloudEvent event = record.value() != null ? record.value()
                    : KafkaMessageFactory.createReader(record.headers(), null).toEvent();
                if (record.value() == null) {
                    tombstonesPerTopic.merge(channel.address(), 1, Integer::sum);
                    softly.assertThat(event.getData()).as("data of the tombstone %s", where).isNull();
                    softly.assertThat(event.getType()).as("type of the tombstone %s", where).endsWith(".tombstone");
                } else if (record.headers().lastHeader("dlq-value-omitted") == null) {
                    // (A dead letter whose original Kafka refused as too large has an empty value, and so no data.)
                    softly.assertThat(event.getData()).as("data of %s", where).isNotNull();
                }
                softly.assertThat(event.getSpecVersion()).as("specversion of %s", where).isEqualTo(SpecVersion.V1);
                softly.assertThat(listed).as("ce_type %s of %s, among those contracts/asyncapi.yaml lists", event.getType(), where)
                    .contains(event.getType());
                softly.assertThat(event.getId()).as("id of %s", where).isNotBlank();
                softly.assertThat(event.getSource()).as("source of %s", where).isNotNull();
                softly.assertThat(event.getSubject()).as("subject of %s", where).isNotBlank();
                softly.assertThat(event.getTime()).as("time of %s", where).isNotNull();
                softly.assertThat(event.getDataContentType()).as("datacontenttype of %s", where)
                    .isIn("application/json", "application/octet-stream");
                if ("application/json".equals(event.getDataContentType()) && event.getData() != null) {
                    softly.assertThatCode(() -> JSON.readTree(event.getData().toBytes())).as("JSON data of %s", where)
                        .doesNotThrowAnyException();
                }
            }
        }
        softly.assertAll();
        System.out.printf("[cloudevents] records read with the CloudEvents SDK per product topic: %s; tombstones read from their headers: %s%n",
            readPerTopic, tombstonesPerTopic);
        assertThat(readPerTopic).as("product topics read (every channel tagged product)").hasSizeGreaterThanOrEqualTo(14);
        assertThat(readPerTopic.values()).as("records per product topic").allMatch(count -> count > 0);
        assertThat(tombstonesPerTopic).as("tombstones read").containsKeys("flow.events", "flow.registrants");
    }

    /** How many records must be there before the topic is read whole (what this test made flow-bridge write to it). */
    private static int minimum(TopicContracts.Channel channel) {
        return switch (channel.address()) {
            case "flow.registration.results" -> 3;
            case "flow.registration.dlq" -> 2;
            case "flow.event.results" -> 2;
            default -> 1;
        };
    }

    private String topicOf(TopicContracts.Channel channel) {
        return topics.environment().values().stream()
            .filter(topic -> topic.endsWith("." + channel.address()) && TopicContracts.get().channel(topic).orElseThrow().equals(channel))
            .findFirst().orElseThrow(() -> new AssertionError("No test topic for " + channel.address()));
    }

    /**
     * The topic from its beginning, values through the SDK's CloudEventDeserializer, once it holds at least {@code minimum}
     * records and no more arrive for a second; a record the deserializer cannot read fails the poll, naming it.
     */
    private static List<ConsumerRecord<String, CloudEvent>> readAsCloudEvents(String topic, int minimum) throws InterruptedException {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "cloudevents-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, CloudEvent>> records = new ArrayList<>();
        try (KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
            new CloudEventDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(partition -> new TopicPartition(topic, partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + LONG_WAIT.toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                int before = records.size();
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (records.size() > before) {
                    quietSince = System.nanoTime();
                } else if (records.size() >= minimum && System.nanoTime() - quietSince > Duration.ofSeconds(1).toNanos()) {
                    break;
                }
            }
        }
        return records;
    }

    private java.net.http.HttpResponse<String> post(TestBridge bridge, String path, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpContract.send(http, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.webhookPort() + path))
            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
            .header(WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature(SECRET, bytes))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }
}
