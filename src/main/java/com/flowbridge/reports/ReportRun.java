package com.flowbridge.reports;

import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

import org.apache.camel.Exchange;

/**
 * One attempt at publishing one report: its run id (carried by every row and by its manifests, so consumers can
 * tell which rows belong to the run that completed), its attempt number (1 for the first run, more after a crash
 * or a re-publish request), where its CSV came from, and what it counted.
 */
public final class ReportRun {

    /** The exchange property holding the run while its route publishes it. */
    public static final String PROPERTY = "reportRun";

    private final ReportId report;
    private final String runId;
    private final int attempt;
    private final Instant started;
    private final String rowKeyPrefix;
    private volatile String source;
    private volatile String sourceUrl;
    private volatile Closeable csv;
    private volatile long rows;
    private volatile long malformedRows;
    private volatile boolean publishing;

    ReportRun(ReportId report, int attempt, Instant started) {
        this.report = report;
        this.runId = UUID.randomUUID().toString();
        this.attempt = attempt;
        this.started = started;
        this.rowKeyPrefix = report.key() + ":";
    }

    /** The run the exchange is publishing. */
    public static ReportRun of(Exchange exchange) {
        ReportRun run = exchange.getProperty(PROPERTY, ReportRun.class);
        if (run == null) {
            throw new IllegalStateException("No report run on this exchange: set the " + PROPERTY + " property first");
        }
        return run;
    }

    public ReportId report() {
        return report;
    }

    public String runId() {
        return runId;
    }

    public int attempt() {
        return attempt;
    }

    public Instant started() {
        return started;
    }

    /** The FLOW path the CSV was read from (its own CSV endpoint, or the compiled report), e.g. {@code /reports/events/sessions/csv/past-security}. */
    public String source() {
        return source;
    }

    void source(String path) {
        this.source = path;
    }

    /** The full URL of {@link #source()}, each record's {@code ce_source}. */
    String sourceUrl() {
        return sourceUrl;
    }

    void sourceUrl(String url) {
        this.sourceUrl = url;
    }

    /** The row keys' common part, {@code <sessionToken>:<report>[:<surveyId>]:}. */
    String rowKeyPrefix() {
        return rowKeyPrefix;
    }

    public long rows() {
        return rows;
    }

    public long malformedRows() {
        return malformedRows;
    }

    /** Whether records of this run may have reached Kafka (its started manifest was handed to the producer). */
    public boolean publishing() {
        return publishing;
    }

    void publishingStarted() {
        publishing = true;
    }

    void counted(CsvRow row) {
        rows++;
        if (row.malformed()) {
            malformedRows++;
        }
    }

    /** The CSV being read, closed with the run whatever happens. */
    void reading(Closeable csv) {
        this.csv = csv;
    }

    /** Releases the CSV (and with it FLOW's HTTP answer). */
    public void close() {
        Closeable open = csv;
        csv = null;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // Nothing more to read from it either way.
            }
        }
    }

    @Override
    public String toString() {
        return report.key() + " (run " + runId + ", attempt " + attempt + ")";
    }
}
