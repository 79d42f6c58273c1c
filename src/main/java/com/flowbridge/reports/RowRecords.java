package com.flowbridge.reports;

import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.flowbridge.capture.CloudEvents;
import com.flowbridge.kafka.RecordMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The row records of one report run, made as cheaply as a million rows need: what every row of the run shares is
 * encoded once per run (the identity fields and the header names as JSON, the constant CloudEvents headers and the key
 * prefix as bytes, the {@code ce_id} digest over the parts before the row number), and each row's value is written with
 * one streaming JSON generator, reused from row to row. The records are the same as {@link CloudEvents#apply} and a JSON
 * writer would make them, field for field, header for header, byte for byte: value
 * {@code {"sessionToken", "report", "surveyId", "rowNumber", "data": {header: value}, "malformed", ["raw",
 * "extraFields",] "runId"}}, key {@code <sessionToken>:<report>[:<surveyId>]:<rowNumber>}, headers {@code ce_specversion,
 * ce_id, ce_type, ce_source, ce_subject, ce_time, content-type}.
 *
 * <p>One instance per run, used by one thread at a time (the run's reader).
 */
final class RowRecords {

    private static final SerializableString SESSION_TOKEN = new SerializedString("sessionToken");
    private static final SerializableString REPORT = new SerializedString("report");
    private static final SerializableString SURVEY_ID = new SerializedString("surveyId");
    private static final SerializableString ROW_NUMBER = new SerializedString("rowNumber");
    private static final SerializableString DATA = new SerializedString("data");
    private static final SerializableString MALFORMED = new SerializedString("malformed");
    private static final SerializableString RAW = new SerializedString("raw");
    private static final SerializableString EXTRA_FIELDS = new SerializedString("extraFields");
    private static final SerializableString RUN_ID = new SerializedString("runId");
    private static final byte[] SPEC_VERSION = ascii("1.0");
    private static final byte[] ROW_TYPE = ascii("flow.report.row");
    private static final byte[] JSON = ascii("application/json");
    private static final byte[] HEX = ascii("0123456789abcdef");

    private final CamelContext context;
    private final String topic;
    private final SerializableString sessionToken;
    private final SerializableString report;
    private final SerializableString surveyId;
    private final SerializableString runId;
    private final SerializableString[] names;
    private final byte[] source;
    private final byte[] keyPrefix;
    private final byte[] runIdBytes;
    /** SHA-256 over the {@code ce_id} parts up to the row number: {@code topic \0 <keyPrefix>}; cloned for each row. */
    private final MessageDigest idPrefix;
    private final MessageDigest md5;
    /** The row being written, as text: encoded to UTF-8 as a whole, exactly as the text of a JSON writer always was. */
    private final CharArrayWriter buffer = new CharArrayWriter(1024);
    private final JsonGenerator out;

    /**
     * @param json    the JSON factory
     * @param topic   the rows' topic
     * @param headers the CSV's header names, made unique
     */
    RowRecords(CamelContext context, JsonFactory json, String topic, ReportRun run, List<String> headers) {
        this.context = context;
        this.topic = topic;
        ReportId id = run.report();
        sessionToken = new SerializedString(id.sessionToken());
        report = new SerializedString(id.kind().value());
        surveyId = id.surveyId() == null ? null : new SerializedString(id.surveyId());
        runId = new SerializedString(run.runId());
        names = headers.stream().map(SerializedString::new).toArray(SerializableString[]::new);
        source = run.sourceUrl().getBytes(StandardCharsets.UTF_8);
        keyPrefix = run.rowKeyPrefix().getBytes(StandardCharsets.UTF_8);
        runIdBytes = run.runId().getBytes(StandardCharsets.UTF_8);
        idPrefix = digest("SHA-256");
        idPrefix.update(topic.getBytes(StandardCharsets.UTF_8));
        idPrefix.update((byte) 0);
        idPrefix.update(keyPrefix);
        md5 = digest("MD5");
        try {
            // A text generator, not a UTF-8 one: Jackson's UTF-8 generator writes characters beyond the BMP as escapes
            // (or, asked to combine surrogates, mis-combines a lone one); text encoded whole keeps them as UTF-8.
            out = json.createGenerator(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write JSON into memory", e);
        }
        // Rows follow one another in the buffer, each taken out whole: nothing between them.
        out.setRootValueSeparator(null);
    }

    /**
     * The record of one row.
     *
     * @param time when the row's batch was made, ISO-8601 in ASCII: its {@code ce_time}
     */
    Message record(CsvRow row, List<String> headers, byte[] time) {
        byte[] number = ascii(Long.toString(row.number()));
        byte[] key = new byte[keyPrefix.length + number.length];
        System.arraycopy(keyPrefix, 0, key, 0, keyPrefix.length);
        System.arraycopy(number, 0, key, keyPrefix.length, number.length);

        Message record = RecordMessage.of(context, null, value(row, headers.size()));
        Map<String, Object> headersOf = record.getHeaders();
        headersOf.put(KafkaConstants.KEY, key);
        headersOf.put(KafkaConstants.OVERRIDE_TOPIC, topic);
        headersOf.put(CloudEvents.SPEC_VERSION, SPEC_VERSION);
        headersOf.put(CloudEvents.ID, id(number));
        headersOf.put(CloudEvents.TYPE, ROW_TYPE);
        headersOf.put(CloudEvents.SOURCE, source);
        headersOf.put(CloudEvents.SUBJECT, key);
        headersOf.put(CloudEvents.TIME, time);
        headersOf.put(CloudEvents.CONTENT_TYPE, JSON);
        return record;
    }

    private byte[] value(CsvRow row, int headerCount) {
        try {
            out.writeStartObject();
            out.writeFieldName(SESSION_TOKEN);
            out.writeString(sessionToken);
            out.writeFieldName(REPORT);
            out.writeString(report);
            out.writeFieldName(SURVEY_ID);
            if (surveyId == null) {
                out.writeNull();
            } else {
                out.writeString(surveyId);
            }
            out.writeFieldName(ROW_NUMBER);
            out.writeNumber(row.number());
            out.writeFieldName(DATA);
            out.writeStartObject();
            String[] values = row.values();
            int fields = Math.min(values.length, headerCount);
            for (int i = 0; i < fields; i++) {
                out.writeFieldName(names[i]);
                out.writeString(values[i]);
            }
            out.writeEndObject();
            out.writeFieldName(MALFORMED);
            out.writeBoolean(row.malformed());
            if (row.malformed()) {
                out.writeFieldName(RAW);
                out.writeString(row.raw());
                if (values.length > headerCount) {
                    out.writeFieldName(EXTRA_FIELDS);
                    out.writeStartArray();
                    for (int i = headerCount; i < values.length; i++) {
                        out.writeString(values[i]);
                    }
                    out.writeEndArray();
                }
            }
            out.writeFieldName(RUN_ID);
            out.writeString(runId);
            out.writeEndObject();
            out.flush();
            byte[] value = buffer.toString().getBytes(StandardCharsets.UTF_8);
            buffer.reset();
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a report row", e);
        }
    }

    /**
     * {@code ce_id}: {@link CloudEvents#deterministicId} of {@code (topic, key, runId)}, a name-based UUID over their
     * SHA-256, computed from the digest of the run's common part.
     */
    private byte[] id(byte[] number) {
        MessageDigest sha;
        try {
            sha = (MessageDigest) idPrefix.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests can be cloned in every JVM", e);
        }
        sha.update(number);
        sha.update((byte) 0);
        sha.update(runIdBytes);
        sha.update((byte) 0);
        // As UUID.nameUUIDFromBytes: MD5, version 3, IETF variant.
        byte[] uuid = md5.digest(sha.digest());
        uuid[6] = (byte) ((uuid[6] & 0x0f) | 0x30);
        uuid[8] = (byte) ((uuid[8] & 0x3f) | 0x80);
        byte[] text = new byte[36];
        int at = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                text[at++] = '-';
            }
            text[at++] = HEX[(uuid[i] >> 4) & 0x0f];
            text[at++] = HEX[uuid[i] & 0x0f];
        }
        return text;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JVM", e);
        }
    }
}
