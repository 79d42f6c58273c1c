package com.flowbridge.reports;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flowbridge.capture.CanonicalJson;
import com.flowbridge.capture.ChangeRecords;
import com.flowbridge.capture.CloudEvents;
import com.flowbridge.kafka.RecordMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The records of a report run, made cheaply per row ({@link RowRecords}), are the records the contract describes: each
 * row's key, value and headers compared byte for byte with what a JSON text writer and {@link CloudEvents#apply} make
 * of the same row (the way rows were made before), over awkward values. ReportsToKafkaIT asserts them on Kafka.
 */
class ReportRecordsTest {

    private static final String TOPIC = "flow.reports.registrants";
    private static final String SOURCE = "http://flow.example/api/v1/reports/events/sessions/registrants/csv/past-onboarding";

    private final ObjectMapper mapper = new ObjectMapper();
    private final CamelContext context = new DefaultCamelContext();
    private final ExecutorService readers = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() throws Exception {
        readers.shutdownNow();
        context.close();
    }

    @Test
    void each_row_record_is_byte_for_byte_the_contracts_key_value_and_cloud_events_headers() {
        List<String> headers = List.of("email", "name", "company", "note");
        List<CsvRow> rows = List.of(
            new CsvRow(1, new String[] {"zoe@example.com", "Zoë", "Núñez & Hijos, S.L.", "He said \"hi\"\r\nthen left"}, null),
            new CsvRow(2, new String[] {"a@example.cn", "北京星辰科技", "Merci beaucoup 👏", "tab\tand \u0001 control"}, null),
            new CsvRow(3, new String[] {"b@example.is", "Ólafur"}, "b@example.is,Ólafur"),
            new CsvRow(4, new String[] {"c@example.eg", "Ahmed", "Nile", "", "extra-1", "extra-2"},
                "c@example.eg,Ahmed,Nile,,extra-1,extra-2"),
            // A lone surrogate (only text from FLOW's JSON can hold one): as a text writer encoded it, '?'.
            new CsvRow(5, new String[] {"d@example.org", "lone \ud83d here", "x", "𝄞 beyond the BMP"}, null),
            new CsvRow(123456789, new String[] {"", "", "", ""}, null));
        for (ReportId report : List.of(ReportId.of("past-onboarding", ReportKind.REGISTRANTS),
            ReportId.survey("past-onboarding", "svy-onb-nps"))) {
            ReportRun run = run(report);
            RowRecords made = new RowRecords(context, mapper.getFactory(), TOPIC, run, headers);
            byte[] time = RowRecords.ascii("2026-12-02T03:00:00.123Z");
            for (CsvRow row : rows) {
                Message fast = made.record(row, headers, time);
                Message reference = reference(run, headers, row, "2026-12-02T03:00:00.123Z");
                assertThat(bytes(fast.getHeader(KafkaConstants.KEY))).as("key of row %d", row.number())
                    .isEqualTo(bytes(reference.getHeader(KafkaConstants.KEY)));
                assertThat(new String(bytes(fast.getBody()), StandardCharsets.UTF_8)).as("value of row %d", row.number())
                    .isEqualTo(new String(bytes(reference.getBody()), StandardCharsets.UTF_8));
                assertThat(bytes(fast.getBody())).as("value bytes of row %d", row.number()).isEqualTo(bytes(reference.getBody()));
                assertThat(text(fast.getHeaders())).as("headers of row %d", row.number()).isEqualTo(text(reference.getHeaders()));
            }
        }
    }

    @Test
    void the_split_gets_the_started_manifest_then_the_rows_in_batches_and_the_completed_manifest_comes_on_its_own()
        throws IOException {
        ChangeRecords changeRecords = new ChangeRecords(context, mapper, new CanonicalJson(mapper), "test", "http://flow.example/api/v1");
        ReportRecords records = new ReportRecords(changeRecords, mapper.getFactory(), Map.of(ReportKind.REGISTRANTS, TOPIC),
            "flow.reports.manifests", "http://flow.example/api/v1", 2, readers);
        ReportRun run = run(ReportId.of("past-security", ReportKind.REGISTRANTS));
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(ReportRun.PROPERTY, run);
        exchange.getMessage().setBody("email,name\r\na@x,A\r\nb@x,B,extra\r\nc@x,C\r\n");

        List<List<Message>> lists = new ArrayList<>();
        for (Iterator<List<Message>> batches = records.batches(exchange); batches.hasNext(); ) {
            lists.add(batches.next());
        }
        assertThat(lists).extracting(List::size).containsExactly(1, 2, 1);
        assertThat(value(lists.get(0).get(0)).path("completed").asBoolean()).isFalse();
        assertThat(lists.get(0).get(0).getHeader(CloudEvents.TYPE)).isEqualTo("flow.report.started");
        assertThat(lists.subList(1, 3)).flatExtracting(list -> list).extracting(row -> value(row).path("rowNumber").asInt())
            .containsExactly(1, 2, 3);
        assertThat(run.publishing()).isTrue();

        List<Message> completed = records.completedManifest(exchange);
        assertThat(completed).hasSize(1);
        assertThat(completed.get(0).getHeader(CloudEvents.TYPE)).isEqualTo("flow.report.completed");
        assertThat(value(completed.get(0)).path("rows").asInt()).isEqualTo(3);
        assertThat(value(completed.get(0)).path("malformedRows").asInt()).isEqualTo(1);
        assertThat(value(completed.get(0)).path("runId").asText()).isEqualTo(run.runId());
    }

    private ReportRun run(ReportId report) {
        ReportRun run = new ReportRun(report, 1, Instant.parse("2026-12-02T02:59:00Z"));
        run.source("/reports/events/sessions/registrants/csv/past-onboarding");
        run.sourceUrl(SOURCE);
        return run;
    }

    /** A row record as rows were made before: a JSON text writer, a String value and key, CloudEvents.apply. */
    private Message reference(ReportRun run, List<String> headers, CsvRow row, String now) {
        ReportId report = run.report();
        StringWriter value = new StringWriter(256);
        try (JsonGenerator out = mapper.getFactory().createGenerator(value)) {
            out.writeStartObject();
            out.writeStringField("sessionToken", report.sessionToken());
            out.writeStringField("report", report.kind().value());
            out.writeStringField("surveyId", report.surveyId());
            out.writeNumberField("rowNumber", row.number());
            out.writeObjectFieldStart("data");
            String[] values = row.values();
            for (int i = 0; i < Math.min(values.length, headers.size()); i++) {
                out.writeStringField(headers.get(i), values[i]);
            }
            out.writeEndObject();
            out.writeBooleanField("malformed", row.malformed());
            if (row.malformed()) {
                out.writeStringField("raw", row.raw());
                if (values.length > headers.size()) {
                    out.writeArrayFieldStart("extraFields");
                    for (int i = headers.size(); i < values.length; i++) {
                        out.writeString(values[i]);
                    }
                    out.writeEndArray();
                }
            }
            out.writeStringField("runId", run.runId());
            out.writeEndObject();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String key = run.rowKeyPrefix() + row.number();
        Message record = RecordMessage.of(context, key, value.toString());
        record.setHeader(KafkaConstants.OVERRIDE_TOPIC, TOPIC);
        CloudEvents.apply(record, "flow.report.row", run.sourceUrl(), key, now, TOPIC, key, run.runId());
        return record;
    }

    /** As the producer serializes keys and values (TextOrBytesSerializer) and camel-kafka header values. */
    private static byte[] bytes(Object value) {
        return value instanceof byte[] bytes ? bytes : String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> text(Map<String, Object> headers) {
        Map<String, String> text = new HashMap<>();
        headers.forEach((name, value) -> text.put(name, new String(bytes(value), StandardCharsets.UTF_8)));
        return text;
    }

    private com.fasterxml.jackson.databind.JsonNode value(Message record) {
        try {
            return mapper.readTree(bytes(record.getBody()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
