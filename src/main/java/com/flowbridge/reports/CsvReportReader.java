package com.flowbridge.reports;

import java.io.Closeable;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.util.Iterator;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a CSV report row by row, as FLOW sends it, with commons-csv: RFC 4180 (quoted fields holding commas,
 * doubled quotes and line breaks; CRLF or LF row ends), a UTF-8 byte order mark dropped, blank lines skipped,
 * the header row's names made unique ({@link HeaderNames}), values untouched (no trimming, empty stays empty).
 * A row whose field count differs from the header's is still a row: it comes with its raw text so nothing of it
 * is lost. Only the current row and the parser's read-ahead are held in memory, whatever the report's size.
 */
public final class CsvReportReader implements Closeable {

    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
        .setIgnoreEmptyLines(true)
        // Accept what a spreadsheet export may end with or contain rather than stop half-way: an unterminated quote
        // at the end, text after a closing quote. Such a row then has an unexpected field count and is flagged.
        .setLenientEof(true)
        .setTrailingData(true)
        .get();

    private final RecordingReader text;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> headers;
    /** The row read but not handed out yet: its raw text ends where the row after it starts. */
    private CSVRecord pending;

    public CsvReportReader(Reader csv) throws IOException {
        text = new RecordingReader(withoutByteOrderMark(csv));
        parser = CSVParser.parse(text, FORMAT);
        records = parser.iterator();
        headers = records.hasNext() ? HeaderNames.unique(records.next().toList()) : List.of();
        pending = records.hasNext() ? records.next() : null;
    }

    /** The header row's names, made unique; empty for an empty report. */
    public List<String> headers() {
        return headers;
    }

    /** The next data row, or null after the last one. */
    public CsvRow next() {
        if (pending == null) {
            return null;
        }
        CSVRecord row = pending;
        pending = records.hasNext() ? records.next() : null;
        long end = pending == null ? text.position() : pending.getCharacterPosition();
        String raw = row.size() == headers.size() ? null : strip(text.between(row.getCharacterPosition(), end));
        text.forgetBefore(end);
        // The header is record 1, so data row n is record n + 1.
        return new CsvRow(row.getRecordNumber() - 1, row.values(), raw);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    /** A row's text without the line breaks around it (blank lines before it, its own line end). */
    private static String strip(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && isLineBreak(raw.charAt(start))) {
            start++;
        }
        while (end > start && isLineBreak(raw.charAt(end - 1))) {
            end--;
        }
        return raw.substring(start, end);
    }

    private static boolean isLineBreak(char c) {
        return c == '\r' || c == '\n';
    }

    private static Reader withoutByteOrderMark(Reader csv) throws IOException {
        PushbackReader reader = new PushbackReader(csv, 1);
        int first = reader.read();
        if (first != -1 && first != BYTE_ORDER_MARK) {
            reader.unread(first);
        }
        return reader;
    }

    /**
     * Keeps the text the parser has read since the row being handed out started, so that a malformed row can be
     * given as it came. Positions are character offsets from the start of the report (as the parser counts them).
     */
    private static final class RecordingReader extends Reader {

        /** Forgotten text is dropped once this much has piled up, so dropping costs little per row. */
        private static final int COMPACT_AT = 64 * 1024;

        private final Reader in;
        private final StringBuilder window = new StringBuilder();
        private long windowStart;
        private long forgetUpTo;

        RecordingReader(Reader in) {
            this.in = in;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int read = in.read(buffer, offset, length);
            if (read > 0) {
                window.append(buffer, offset, read);
            }
            return read;
        }

        long position() {
            return windowStart + window.length();
        }

        String between(long from, long to) {
            return window.substring((int) (from - windowStart), (int) (to - windowStart));
        }

        void forgetBefore(long position) {
            forgetUpTo = position;
            int forgettable = (int) (forgetUpTo - windowStart);
            if (forgettable >= COMPACT_AT) {
                window.delete(0, forgettable);
                windowStart = forgetUpTo;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
