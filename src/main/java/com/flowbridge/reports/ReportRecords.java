package com.flowbridge.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.flowbridge.capture.ChangeRecords;
import com.flowbridge.capture.CloudEvents;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The Kafka records of a report run: one per CSV data row on the report's topic, and its manifests on the
 * manifests topic (one when the run starts, {@code completed: false}, one after its last row, {@code completed:
 * true}). Records are fresh messages with only their key, topic and CloudEvents headers: nothing of FLOW's HTTP
 * answer rides along.
 *
 * <p>Row value: {@code {"sessionToken", "report", "surveyId", "rowNumber", "data": {header: value}, "malformed",
 * "runId"}}, plus {@code "raw"} (the row's text) and, when it has more fields than the header, {@code
 * "extraFields"} for a malformed row.
 */
public final class ReportRecords {

    private final ChangeRecords records;
    private final JsonFactory json;
    private final Map<ReportKind, String> topics;
    private final String manifestsTopic;
    private final String flowBaseUrl;
    private final int batchSize;
    private final ExecutorService readers;

    /**
     * @param topics    the topic of each kind's rows
     * @param batchSize rows per list handed to camel-kafka (the route sends them without waiting for acknowledgements)
     * @param readers   the threads that read reports one batch ahead (one per report published at once)
     */
    public ReportRecords(ChangeRecords records, JsonFactory json, Map<ReportKind, String> topics, String manifestsTopic,
                         String flowBaseUrl, int batchSize, ExecutorService readers) {
        this.records = records;
        this.json = json;
        this.topics = Map.copyOf(topics);
        this.manifestsTopic = manifestsTopic;
        this.flowBaseUrl = flowBaseUrl;
        this.batchSize = batchSize;
        this.readers = readers;
    }

    /**
     * The run's records, read from the CSV in the body (FLOW's stream, or text from the compiled report) as they
     * are sent: the started manifest alone, then the rows {@code batchSize} at a time. The completed manifest is
     * {@link #completedManifest}'s, once every row is acknowledged.
     */
    public Iterator<List<Message>> batches(Exchange exchange) throws IOException {
        ReportRun run = ReportRun.of(exchange);
        run.sourceUrl(flowBaseUrl + run.source());
        Reader csv = reader(exchange.getMessage().getBody());
        run.reading(csv);
        return new Batches(exchange.getContext(), run, new CsvReportReader(csv));
    }

    /** The run's completed manifest (with its row counts), for after Kafka has acknowledged every row. */
    public List<Message> completedManifest(Exchange exchange) {
        return List.of(manifest(ReportRun.of(exchange), true));
    }

    Message manifest(ReportRun run, boolean completed) {
        Instant now = Instant.now();
        StringWriter value = new StringWriter(256);
        try (JsonGenerator out = json.createGenerator(value)) {
            out.writeStartObject();
            identify(out, run.report());
            if (completed) {
                out.writeNumberField("rows", run.rows());
            } else {
                out.writeNullField("rows");
            }
            out.writeBooleanField("completed", completed);
            out.writeNumberField("ts_ms", now.toEpochMilli());
            out.writeStringField("runId", run.runId());
            out.writeNumberField("attempt", run.attempt());
            out.writeNumberField("started_ms", run.started().toEpochMilli());
            if (completed) {
                out.writeNumberField("malformedRows", run.malformedRows());
            }
            out.writeStringField("source", run.source());
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a report manifest", e);
        }
        String key = run.report().key();
        Message record = records.record(manifestsTopic, key, value.toString());
        CloudEvents.apply(record, completed ? "flow.report.completed" : "flow.report.started", run.sourceUrl(), key,
            now, manifestsTopic, key, run.runId(), String.valueOf(completed));
        return record;
    }

    private static void identify(JsonGenerator out, ReportId report) throws IOException {
        out.writeStringField("sessionToken", report.sessionToken());
        out.writeStringField("report", report.kind().value());
        out.writeStringField("surveyId", report.surveyId());
    }

    private static Reader reader(Object csv) {
        if (csv instanceof InputStream stream) {
            return new InputStreamReader(stream, StandardCharsets.UTF_8);
        }
        if (csv instanceof String text) {
            return new StringReader(text);
        }
        throw new IllegalArgumentException("A report's CSV comes as a stream or as text, not as "
            + (csv == null ? "nothing" : csv.getClass().getName()));
    }

    /**
     * The run's records as the split asks for them: the started manifest, then the row batches. Rows are read and
     * turned into records on a reader thread one batch ahead of the one being sent (so parsing and sending overlap,
     * and memory holds at most three batches besides what the producer has in flight).
     */
    private final class Batches implements Iterator<List<Message>> {

        /** Put by the reader thread after the last batch. */
        private static final Object END = new Object();

        private final CamelContext context;
        private final ReportRun run;
        private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(1);
        private boolean startSent;
        /** The batch (or END, or the reader's failure) hasNext took from the reader and next hands out. */
        private Object taken;

        Batches(CamelContext context, ReportRun run, CsvReportReader csv) {
            this.context = context;
            this.run = run;
            Future<?> reading = readers.submit(() -> read(csv));
            // Closing the run (done, or failed half-way) stops the reader and releases FLOW's answer.
            run.reading(() -> {
                reading.cancel(true);
                csv.close();
            });
        }

        @Override
        public boolean hasNext() {
            if (!startSent) {
                return true;
            }
            if (taken == null) {
                taken = take();
            }
            return taken != END;
        }

        @Override
        public List<Message> next() {
            if (!startSent) {
                startSent = true;
                run.publishingStarted();
                return List.of(manifest(run, false));
            }
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Object batch = taken;
            taken = null;
            if (batch instanceof RuntimeException failure) {
                throw failure;
            }
            @SuppressWarnings("unchecked")
            List<Message> rows = (List<Message>) batch;
            return rows;
        }

        private void read(CsvReportReader csv) {
            try {
                try {
                    List<String> headers = csv.headers();
                    RowRecords rows = new RowRecords(context, json, topics.get(run.report().kind()), run, headers);
                    List<Message> batch = new ArrayList<>(batchSize);
                    // The rows' ce_time: when their batch was made.
                    byte[] now = RowRecords.ascii(Instant.now().toString());
                    for (CsvRow row = csv.next(); row != null; row = csv.next()) {
                        batch.add(rows.record(row, headers, now));
                        run.counted(row);
                        if (batch.size() == batchSize) {
                            ready.put(batch);
                            batch = new ArrayList<>(batchSize);
                            now = RowRecords.ascii(Instant.now().toString());
                        }
                    }
                    if (!batch.isEmpty()) {
                        ready.put(batch);
                    }
                    ready.put(END);
                } catch (RuntimeException failure) {
                    ready.put(failure);
                } catch (Error failure) {
                    // Handed over too, or the split would wait for the next batch forever.
                    ready.put(new IllegalStateException("Reading " + run + " failed: " + failure, failure));
                }
            } catch (InterruptedException stopped) {
                // The run is over (it failed while sending): nobody waits for more rows.
                Thread.currentThread().interrupt();
            }
        }

        private Object take() {
            try {
                return ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the rows of " + run, e);
            }
        }
    }
}
