package com.flowbridge.reports;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.flowbridge.sandbox.FaultRule;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestBridge;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TopicProbe;
import com.flowbridge.webhook.WebhookAuth;
import com.flowbridge.testing.HttpContract;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static com.flowbridge.testing.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped reports route against the FLOW sandbox over HTTP and a real Kafka broker. The sandbox's past sessions
 * carry every awkward CSV case: {@code past-onboarding} (BOM, CRLF, quoted commas, doubled quotes, line breaks in
 * fields, UTF-8, a header-only operator chat, blank trailing lines, duplicate and empty header names in a survey)
 * and {@code past-security} (rows with too many and too few fields). Every assertion is on what lands on Kafka.
 */
class ReportsToKafkaIT extends SandboxTest {

    private static final String WEBHOOK_SECRET = "test-webhook-secret";
    private static final String WEBHOOK_TOKEN = "test-webhook-token";
    private static final Map<String, String> FAST = Map.of(
        "flow.reports.poll-interval", "1s",
        "flow.reports.initial-delay", "0s",
        "flow.reports.retry-initial-delay", "300ms",
        "flow.reports.retry-max-delay", "1s",
        "webhook.secret", WEBHOOK_SECRET,
        "webhook.token", WEBHOOK_TOKEN);
    /** Every report of the two past sessions, with its data row count. */
    private static final Map<String, Integer> SAMPLE_REPORTS = Map.of(
        "past-onboarding:registrants", 8,
        "past-onboarding:attendeeChat", 5,
        "past-onboarding:operatorChat", 0,
        "past-onboarding:surveyResponses:svy-onb-feedback", 3,
        "past-onboarding:surveyResponses:svy-onb-nps", 3,
        "past-security:registrants", 6,
        "past-security:attendeeChat", 3,
        "past-security:operatorChat", 2,
        "past-security:surveyResponses:svy-sec-quiz", 3);
    private static final Set<String> RECORD_HEADERS = Set.of(
        "ce_specversion", "ce_id", "ce_type", "ce_source", "ce_subject", "ce_time", "content-type");

    @Test
    void every_report_of_every_past_session_lands_row_by_row_each_followed_by_its_manifest() {
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        startBridge(FAST);

        Map<String, JsonNode> completed = awaitCompleted(manifests, SAMPLE_REPORTS.size());
        assertThat(completed.keySet()).isEqualTo(SAMPLE_REPORTS.keySet());
        Map<String, List<ConsumerRecord<String, String>>> rows = new HashMap<>();
        rows.putAll(byReport(probe("kafka.topic.reports-registrants").awaitCount(14, WAIT)));
        rows.putAll(byReport(probe("kafka.topic.reports-attendee-chat").awaitCount(8, WAIT)));
        rows.putAll(byReport(probe("kafka.topic.reports-operator-chat").awaitCount(2, WAIT)));
        rows.putAll(byReport(probe("kafka.topic.reports-survey-responses").awaitCount(9, WAIT)));

        SAMPLE_REPORTS.forEach((report, count) -> {
            JsonNode manifest = completed.get(report);
            List<ConsumerRecord<String, String>> reportRows = rows.getOrDefault(report, List.of());
            assertThat(manifest.path("rows").asInt()).as(report).isEqualTo(count);
            assertThat(reportRows).as(report).hasSize(count);
            assertThat(reportRows).extracting(r -> value(r).path("rowNumber").asInt())
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, count).boxed().toList());
            for (ConsumerRecord<String, String> row : reportRows) {
                JsonNode value = value(row);
                assertThat(row.key()).isEqualTo(report + ":" + value.path("rowNumber").asInt());
                assertThat(value.path("sessionToken").asText()).isEqualTo(report.substring(0, report.indexOf(':')));
                assertThat(value.path("report").asText()).isEqualTo(report.split(":")[1]);
                assertThat(value.get("surveyId").isNull()).isEqualTo(!report.contains("surveyResponses"));
                assertThat(value.path("data").isObject()).isTrue();
                assertThat(value.path("runId").asText()).isEqualTo(manifest.path("runId").asText());
                assertThat(TopicProbe.headers(row).keySet()).isEqualTo(RECORD_HEADERS);
                assertThat(header(row, "ce_type")).isEqualTo("flow.report.row");
                assertThat(header(row, "ce_subject")).isEqualTo(row.key());
                assertThat(header(row, "ce_source")).startsWith(sandbox.baseUrl() + "/reports/events/sessions/");
            }
        });
        JsonNode registrants = completed.get("past-onboarding:registrants");
        assertThat(registrants.path("completed").asBoolean()).isTrue();
        assertThat(registrants.path("surveyId").isNull()).isTrue();
        assertThat(registrants.path("ts_ms").asLong()).isPositive();
        assertThat(registrants.path("attempt").asInt()).isEqualTo(1);
        assertThat(registrants.path("source").asText()).isEqualTo("/reports/events/sessions/registrants/csv/past-onboarding");
        assertThat(completed.get("past-onboarding:surveyResponses:svy-onb-nps").path("surveyId").asText()).isEqualTo("svy-onb-nps");

        // Sessions that are not past have no reports, and FLOW is not asked for any.
        assertThat(manifests.records()).allMatch(r -> r.key().startsWith("past-"));
        assertThat(flow().requests("GET", "/reports/events/sessions/.*(future|live)-.*"))
            .as("report and survey requests (registrant lists are polled for these sessions, by the registrants flow)")
            .filteredOn(request -> request.path().contains("/csv") || request.path().contains("/surveys/")).isEmpty();
    }

    @Test
    void a_manifest_says_started_before_the_rows_and_completed_after_them_under_the_same_key() {
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        startBridge(FAST);
        awaitCompleted(manifests, SAMPLE_REPORTS.size());

        List<ConsumerRecord<String, String>> security = manifests.records().stream()
            .filter(r -> r.key().equals("past-security:registrants")).toList();
        assertThat(security).extracting(r -> value(r).path("completed").asBoolean()).containsExactly(false, true);
        assertThat(security).extracting(r -> header(r, "ce_type")).containsExactly("flow.report.started", "flow.report.completed");
        JsonNode started = value(security.get(0));
        assertThat(started.get("rows").isNull()).isTrue();
        assertThat(started.path("runId").asText()).isEqualTo(value(security.get(1)).path("runId").asText());
        JsonNode done = value(security.get(1));
        assertThat(done.path("rows").asInt()).isEqualTo(6);
        assertThat(done.path("malformedRows").asInt()).isEqualTo(2);
        long lastRowTime = probe("kafka.topic.reports-registrants").awaitCount(14, WAIT).stream()
            .filter(r -> r.key().startsWith("past-security:")).mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
        assertThat(security.get(1).timestamp()).isGreaterThanOrEqualTo(lastRowTime);
    }

    @Test
    void a_byte_order_mark_is_dropped_and_quotes_commas_line_breaks_and_utf8_stay_as_sent() {
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        TopicProbe registrants = probe("kafka.topic.reports-registrants");
        startBridge(FAST);
        awaitCompleted(manifests, SAMPLE_REPORTS.size());

        Map<Integer, JsonNode> onboarding = rowsOf(registrants.awaitCount(14, WAIT), "past-onboarding:registrants");
        // The report starts with a UTF-8 BOM and ends its rows with CRLF.
        assertThat(onboarding.get(1).path("data").fieldNames()).toIterable().first().isEqualTo("email");
        assertThat(onboarding.get(1).path("data").path("email").asText()).isEqualTo("zoe.angstrom@example.com");
        assertThat(onboarding.get(2).path("data").path("company").asText()).isEqualTo("Núñez & Hijos, S.L.");
        assertThat(onboarding.get(3).path("data").path("What is your role?").asText()).isEqualTo("Product\r\nand design");
        assertThat(onboarding.get(3).path("data").path("company").asText()).isEqualTo("北京星辰科技");
        assertThat(onboarding.get(4).path("data").path("company").asText()).isEqualTo("O'Brien \"The Quoted\" Ltd");
        assertThat(onboarding.get(4).path("data").path("What is your role?").asText()).isEqualTo("He said \"hi\", then left");
        assertThat(onboarding.get(7).path("data").path("firstName").asText()).isEqualTo("Дмитрий");
        assertThat(onboarding.values()).noneMatch(row -> row.path("malformed").asBoolean());
    }

    @Test
    void lf_row_ends_and_blank_trailing_lines_make_no_extra_rows_and_a_header_only_report_is_an_empty_manifest() {
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        TopicProbe chat = probe("kafka.topic.reports-attendee-chat");
        TopicProbe operatorChat = probe("kafka.topic.reports-operator-chat");
        startBridge(FAST);
        Map<String, JsonNode> completed = awaitCompleted(manifests, SAMPLE_REPORTS.size());

        // LF row ends, a line break inside a quoted message, two blank lines at the end: 5 rows, no more.
        Map<Integer, JsonNode> onboardingChat = rowsOf(chat.awaitCount(8, WAIT), "past-onboarding:attendeeChat");
        assertThat(onboardingChat).hasSize(5);
        assertThat(onboardingChat.get(3).path("data").path("message").asText()).isEqualTo("First line\nsecond line of the same message");
        assertThat(onboardingChat.get(5).path("data").path("message").asText()).isEqualTo("Merci beaucoup 👏");
        // The header-only operator chat: no record, and a manifest saying 0 rows, completed.
        assertThat(completed.get("past-onboarding:operatorChat").path("rows").asInt()).isZero();
        assertThat(completed.get("past-onboarding:operatorChat").path("completed").asBoolean()).isTrue();
        assertThat(operatorChat.awaitCount(2, WAIT)).noneMatch(r -> r.key().startsWith("past-onboarding:"));
    }

    @Test
    void rows_with_more_or_fewer_fields_than_the_header_are_kept_flagged_with_their_raw_line_and_counted() {
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        TopicProbe registrants = probe("kafka.topic.reports-registrants");
        startBridge(FAST);
        Map<String, JsonNode> completed = awaitCompleted(manifests, SAMPLE_REPORTS.size());

        Map<Integer, JsonNode> security = rowsOf(registrants.awaitCount(14, WAIT), "past-security:registrants");
        JsonNode tooMany = security.get(2);
        assertThat(tooMany.path("malformed").asBoolean()).isTrue();
        assertThat(tooMany.path("raw").asText()).isEqualTo(
            "ahmed.elsayed@example.eg,Ahmed,El-Sayed,2026-08-21T11:11:11Z,\"Nile Data, Inc.\",EG,extra-field-1,extra-field-2");
        assertThat(tooMany.path("data").path("company").asText()).isEqualTo("Nile Data, Inc.");
        assertThat(tooMany.path("extraFields")).extracting(JsonNode::asText).containsExactly("extra-field-1", "extra-field-2");
        JsonNode tooFew = security.get(3);
        assertThat(tooFew.path("malformed").asBoolean()).isTrue();
        assertThat(tooFew.path("raw").asText()).isEqualTo("olafur.arnalds@example.is,Ólafur,Arnalds,2026-08-22T18:45:00Z");
        assertThat(tooFew.path("data").has("company")).isFalse();
        assertThat(security.get(1).path("malformed").asBoolean()).isFalse();
        assertThat(security.get(1).has("raw")).isFalse();
        assertThat(completed.get("past-security:registrants").path("malformedRows").asInt()).isEqualTo(2);
        assertThat(completed.get("past-security:registrants").path("rows").asInt()).isEqualTo(6);
    }

    @Test
    void duplicate_and_empty_header_names_become_unique_stable_names() {
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        TopicProbe surveys = probe("kafka.topic.reports-survey-responses");
        startBridge(FAST);
        awaitCompleted(manifests, SAMPLE_REPORTS.size());

        // Header: email,name,How useful was this session?,,What should we cover next?,What should we cover next?
        Map<Integer, JsonNode> feedback = rowsOf(surveys.awaitCount(9, WAIT), "past-onboarding:surveyResponses:svy-onb-feedback");
        assertThat(feedback.get(1).path("data").fieldNames()).toIterable().containsExactly(
            "email", "name", "How useful was this session?", "column_4", "What should we cover next?", "What should we cover next?_2");
        assertThat(feedback.get(1).path("data").path("What should we cover next?_2").asText()).isEqualTo("Kafka please");
        assertThat(feedback.get(2).path("data").path("column_4").asText()).isEqualTo("x");
        assertThat(feedback.get(2).path("surveyId").asText()).isEqualTo("svy-onb-feedback");
    }

    @Test
    void values_stay_strings_exactly_as_flow_sent_them() {
        flow().setReport("past-security", "operatorChat", "id,amount,flag,note,when\r\n007, 1.50 ,true,,\"\"\r\n");
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        TopicProbe operatorChat = probe("kafka.topic.reports-operator-chat");
        startBridge(FAST);
        awaitCompleted(manifests, SAMPLE_REPORTS.size());

        JsonNode data = rowsOf(operatorChat.awaitCount(1, WAIT), "past-security:operatorChat").get(1).path("data");
        assertThat(data.toString()).isEqualTo("{\"id\":\"007\",\"amount\":\" 1.50 \",\"flag\":\"true\",\"note\":\"\",\"when\":\"\"}");
    }

    @Test
    void a_report_flow_cannot_serve_yet_is_asked_for_again_with_backoff_and_not_marked_done_meanwhile() {
        // FLOW answers 404 for past-security's operator chat (its own path and the compiled report) and 503 for its
        // attendee chat, for now.
        String operatorChatPath = "/reports/events/sessions/chat/operators/csv/past-security";
        flow().addFault(fault("GET", operatorChatPath, 404));
        flow().addFault(fault("GET", "/reports/events/sessions/csv/past-security", 404));
        flow().addFault(fault("GET", "/reports/events/sessions/chat/attendees/csv/past-security", 503));
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        startBridge(withSettings(Map.of("flow.reports.poll-interval", "200ms", "flow.reports.retry-initial-delay", "500ms",
            "flow.reports.retry-max-delay", "4s")));

        Map<String, JsonNode> completed = awaitCompleted(manifests, SAMPLE_REPORTS.size() - 2);
        assertThat(completed).doesNotContainKeys("past-security:operatorChat", "past-security:attendeeChat");
        assertThat(manifests.newRecordsWithin(Duration.ofSeconds(5))).isEmpty();
        // Cycles run every 200 ms; FLOW was asked again only after 0.5, 1, 2, 4 s: a handful of times, not 30.
        long asked = flow().requestCount("GET", operatorChatPath);
        assertThat(asked).isBetween(2L, 7L);
        assertThat(manifests.records()).noneMatch(r -> r.key().equals("past-security:operatorChat"));

        flow().clearFaults();
        Map<String, JsonNode> all = awaitCompleted(manifests, SAMPLE_REPORTS.size());
        assertThat(all.get("past-security:operatorChat").path("rows").asInt()).isEqualTo(2);
        assertThat(all.get("past-security:operatorChat").path("attempt").asInt()).isEqualTo(1);
        assertThat(all.get("past-security:attendeeChat").path("rows").asInt()).isEqualTo(3);
    }

    @Test
    void where_flow_does_not_serve_a_reports_own_path_the_compiled_report_is_used() {
        flow().addFault(fault("GET", "/reports/events/sessions/registrants/csv/past-onboarding", 404));
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        TopicProbe registrants = probe("kafka.topic.reports-registrants");
        startBridge(FAST);

        JsonNode manifest = awaitCompleted(manifests, SAMPLE_REPORTS.size()).get("past-onboarding:registrants");
        assertThat(manifest.path("source").asText()).isEqualTo("/reports/events/sessions/csv/past-onboarding");
        assertThat(manifest.path("rows").asInt()).isEqualTo(8);
        Map<Integer, JsonNode> rows = rowsOf(registrants.awaitCount(14, WAIT), "past-onboarding:registrants");
        assertThat(rows.get(1).path("data").fieldNames()).toIterable().first().isEqualTo("email");
        assertThat(rows.get(3).path("data").path("What is your role?").asText()).isEqualTo("Product\r\nand design");
    }

    @Test
    void settled_reports_wait_for_the_settle_delay() {
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        Instant started = Instant.now();
        startBridge(withSettings(Map.of("flow.reports.settle-delay", "4s")));

        assertThat(manifests.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
        awaitCompleted(manifests, SAMPLE_REPORTS.size());
        assertThat(manifests.records()).allMatch(r -> r.timestamp() >= started.plusSeconds(4).toEpochMilli());
    }

    @Test
    void a_restart_publishes_nothing_again_that_was_complete() {
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        TopicProbe registrants = probe("kafka.topic.reports-registrants");
        TestBridge first = startBridge(FAST);
        awaitCompleted(manifests, SAMPLE_REPORTS.size());
        registrants.awaitCount(14, WAIT);
        first.close();

        startBridge(FAST);
        assertThat(manifests.newRecordsWithin(Duration.ofSeconds(4))).isEmpty();
        assertThat(registrants.newRecordsWithin(Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void a_restart_in_the_middle_of_a_large_report_publishes_it_again_whole_and_read_committed_consumers_see_only_that_run() {
        int rows = 200_000;
        flow().generateLargeReport("past-security", "registrants", rows);
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        // A crash-like stop: Camel waits 1 s for the report in flight, then stops the producers under it.
        Map<String, String> settings = withSettings(Map.of("camel.main.shutdown-timeout", "1"));
        String rowsTopic = topics.get("kafka.topic.reports-registrants");
        try (RowTally committed = new RowTally(rowsTopic, "past-security:registrants:");
             RowTally careless = new RowTally(rowsTopic, "past-security:registrants:", "read_uncommitted")) {
            TestBridge first = startBridge(settings);
            careless.awaitTotal(20_000, WAIT);
            first.close();
            assertThat(ReportManifests.of(manifests.records(), "past-security:registrants")).as("what the cut-off run committed")
                .isEmpty();
            Set<String> cutRuns = careless.runs();

            startBridge(settings);
            JsonNode done = manifests.await(records -> ReportManifests.of(records, "past-security:registrants").stream()
                .anyMatch(m -> m.path("completed").asBoolean()), Duration.ofSeconds(60), "the completed manifest").stream()
                .filter(r -> r.key().equals("past-security:registrants")).map(SandboxTest::value)
                .filter(m -> m.path("completed").asBoolean()).findFirst().orElseThrow();
            String completeRun = done.path("runId").asText();
            assertThat(cutRuns).doesNotContain(completeRun);
            assertThat(done.path("rows").asLong()).isEqualTo(rows);
            committed.awaitRun(completeRun, rows, Duration.ofSeconds(60));
            // read_committed: the completed run's rows, each exactly once, and nothing of the cut-off run.
            assertThat(committed.distinctRows(completeRun)).isEqualTo(rows);
            assertThat(committed.rows(completeRun)).isEqualTo(rows);
            assertThat(committed.runs()).containsExactly(completeRun);
            // read_uncommitted: the cut-off run's rows too, told apart by their runId.
            careless.awaitRun(completeRun, rows, Duration.ofSeconds(60));
            assertThat(careless.runs()).containsAll(cutRuns).contains(completeRun);
            assertThat(ReportManifests.of(manifests.records(), "past-security:registrants"))
                .extracting(m -> m.path("runId").asText() + ":" + m.path("completed").asBoolean())
                .containsExactly(completeRun + ":false", completeRun + ":true");
        }
    }

    @Test
    void a_request_on_the_requests_topic_publishes_those_reports_again_with_new_manifests() throws Exception {
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        TopicProbe operatorChat = probe("kafka.topic.reports-operator-chat");
        startBridge(FAST);
        Map<String, JsonNode> first = awaitCompleted(manifests, SAMPLE_REPORTS.size());
        operatorChat.awaitCount(2, WAIT);

        try (KafkaProducer<String, String> producer = producer()) {
            String requests = topics.get("kafka.topic.report-requests");
            producer.send(new ProducerRecord<>(requests, "x", "{\"report\": \"operatorChat\"}")).get();
            producer.send(new ProducerRecord<>(requests, "x", "not json")).get();
            producer.send(new ProducerRecord<>(requests, "past-security", "{\"sessionToken\": \"past-security\", \"report\": \"operatorChat\"}")).get();
        }

        List<ConsumerRecord<String, String>> again = manifests.await(records -> records.size() >= 2 * SAMPLE_REPORTS.size() + 2,
            WAIT, "the manifests of a second run");
        List<JsonNode> runs = ReportManifests.of(again, "past-security:operatorChat");
        assertThat(runs).extracting(m -> m.path("completed").asBoolean()).containsExactly(false, true, false, true);
        assertThat(runs.get(3).path("attempt").asInt()).isEqualTo(2);
        assertThat(runs.get(3).path("rows").asInt()).isEqualTo(2);
        assertThat(runs.get(3).path("runId").asText()).isNotEqualTo(first.get("past-security:operatorChat").path("runId").asText());
        assertThat(operatorChat.awaitCount(4, WAIT)).extracting(r -> value(r).path("runId").asText())
            .containsOnly(runs.get(1).path("runId").asText(), runs.get(3).path("runId").asText());
        // Only the report asked for: nothing else is published again.
        assertThat(manifests.newRecordsWithin(Duration.ofSeconds(3))).isEmpty();
        assertThat(manifests.records()).hasSize(2 * SAMPLE_REPORTS.size() + 2);
    }

    @Test
    void post_reports_asks_for_a_sessions_reports_again_when_authenticated_and_refuses_clearly_otherwise() throws Exception {
        TopicProbe manifests = probe("kafka.topic.reports-manifests");
        TopicProbe requests = probe("kafka.topic.report-requests");
        TestBridge bridge = startBridge(FAST);
        awaitCompleted(manifests, SAMPLE_REPORTS.size());

        assertThat(post(bridge, "past-onboarding", "{}", Map.of()).statusCode()).isEqualTo(401);
        assertThat(post(bridge, "past-onboarding", "{}", Map.of(WebhookAuth.SIGNATURE_HEADER, "sha256=00")).statusCode()).isEqualTo(401);
        assertThat(post(bridge, "past-onboarding", "{}", Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = post(bridge, "no-such-session", "", bearer());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no-such-session");
        HttpResponse<String> badReport = post(bridge, "past-onboarding", "{\"report\": \"chat\"}", bearer());
        assertThat(badReport.statusCode()).isEqualTo(400);
        assertThat(badReport.body()).contains("report must be one of registrants, attendeeChat, operatorChat, surveyResponses");
        assertThat(post(bridge, "live-townhall", "", bearer()).statusCode()).isEqualTo(409);
        assertThat(requests.records()).isEmpty();

        String body = "{\"report\": \"surveyResponses\"}";
        HttpResponse<String> accepted = post(bridge, "past-onboarding", body,
            Map.of(WebhookAuth.SIGNATURE_HEADER, WebhookAuth.signature(WEBHOOK_SECRET, body.getBytes(StandardCharsets.UTF_8))));
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(json(accepted.body()).path("report").asText()).isEqualTo("surveyResponses");
        assertThat(accepted.headers().map().keySet()).noneMatch(name -> name.equalsIgnoreCase(WebhookAuth.SIGNATURE_HEADER));
        ConsumerRecord<String, String> request = requests.awaitCount(1, WAIT).get(0);
        assertThat(request.key()).isEqualTo("past-onboarding");
        assertThat(value(request)).isEqualTo(json("{\"sessionToken\":\"past-onboarding\",\"report\":\"surveyResponses\"}"));
        assertThat(TopicProbe.headers(request).keySet()).isEqualTo(RECORD_HEADERS);

        // Both surveys of the session are published again; nothing else.
        List<ConsumerRecord<String, String>> again = manifests.await(records -> records.size() >= 2 * SAMPLE_REPORTS.size() + 4,
            WAIT, "the manifests of the surveys' second runs");
        assertThat(again.subList(2 * SAMPLE_REPORTS.size(), again.size())).extracting(ConsumerRecord::key).containsOnly(
            "past-onboarding:surveyResponses:svy-onb-feedback", "past-onboarding:surveyResponses:svy-onb-nps");
        // No body: every report of the session.
        assertThat(post(bridge, "past-onboarding", "", bearer()).statusCode()).isEqualTo(202);
        List<ConsumerRecord<String, String>> all = manifests.awaitCount(2 * SAMPLE_REPORTS.size() + 4 + 10, WAIT);
        assertThat(ReportManifests.completedByKey(all.subList(2 * SAMPLE_REPORTS.size() + 4, all.size())).keySet())
            .containsExactlyInAnyOrderElementsOf(SAMPLE_REPORTS.keySet().stream().filter(k -> k.startsWith("past-onboarding:")).toList());
    }

    // --- helpers

    private static Map<String, String> withSettings(Map<String, String> more) {
        Map<String, String> settings = new LinkedHashMap<>(FAST);
        settings.putAll(more);
        return settings;
    }

    /** The latest completed manifest of each report, once there are {@code count} reports with one. */
    private static Map<String, JsonNode> awaitCompleted(TopicProbe manifests, int count) {
        List<ConsumerRecord<String, String>> records = manifests.await(
            seen -> ReportManifests.completedByKey(seen).size() >= count, WAIT,
            count + " completed manifests");
        return ReportManifests.completedByKey(records);
    }

    /** Rows by report key (the record key without its row number). */
    private static Map<String, List<ConsumerRecord<String, String>>> byReport(List<ConsumerRecord<String, String>> rows) {
        return rows.stream().collect(Collectors.groupingBy(r -> r.key().substring(0, r.key().lastIndexOf(':'))));
    }

    private static Map<Integer, JsonNode> rowsOf(List<ConsumerRecord<String, String>> rows, String report) {
        Map<Integer, JsonNode> byNumber = new HashMap<>();
        byReport(rows).getOrDefault(report, List.of()).forEach(r -> byNumber.put(value(r).path("rowNumber").asInt(), value(r)));
        return byNumber;
    }

    private static FaultRule fault(String method, String path, int status) {
        return FaultRule.fromJson(JSON.createObjectNode().put("method", method).put("path", path).put("status", status));
    }

    private static Map<String, String> bearer() {
        return Map.of("Authorization", "Bearer " + WEBHOOK_TOKEN);
    }

    private static HttpResponse<String> post(TestBridge bridge, String sessionToken, String body, Map<String, String> headers)
        throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.webhookPort() + "/reports/" + sessionToken))
            .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return HttpContract.send(HttpClient.newHttpClient(), request.build());
    }

    private static KafkaProducer<String, String> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(properties);
    }
}
