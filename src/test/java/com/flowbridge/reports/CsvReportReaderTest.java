package com.flowbridge.reports;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The CSV rules on their own; {@code ReportsToKafkaIT} asserts the same cases on the records that land on Kafka. */
class CsvReportReaderTest {

    @Test
    void a_byte_order_mark_is_dropped_and_quoted_commas_quotes_and_line_breaks_stay_in_their_field() throws IOException {
        try (CsvReportReader reader = new CsvReportReader(sample("past-onboarding-registrants.csv"))) {
            assertThat(reader.headers().get(0)).isEqualTo("email");
            List<CsvRow> rows = rows(reader);
            assertThat(rows).hasSize(8).noneMatch(CsvRow::malformed);
            assertThat(rows.get(1).values()[4]).isEqualTo("Núñez & Hijos, S.L.");
            assertThat(rows.get(2).values()[8]).isEqualTo("Product\r\nand design");
            assertThat(rows.get(3).values()[4]).isEqualTo("O'Brien \"The Quoted\" Ltd");
            assertThat(rows.get(5).values()[8]).isEmpty();
            assertThat(rows).extracting(CsvRow::number).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        }
    }

    @Test
    void blank_trailing_lines_are_no_rows_and_a_header_only_report_has_none() throws IOException {
        try (CsvReportReader chat = new CsvReportReader(sample("past-onboarding-attendee-chat.csv"))) {
            List<CsvRow> rows = rows(chat);
            assertThat(rows).hasSize(5);
            assertThat(rows.get(2).values()[3]).isEqualTo("First line\nsecond line of the same message");
        }
        try (CsvReportReader empty = new CsvReportReader(sample("past-onboarding-operator-chat.csv"))) {
            assertThat(empty.headers()).containsExactly("timestamp", "operator", "message");
            assertThat(empty.next()).isNull();
        }
    }

    @Test
    void rows_with_more_or_fewer_fields_than_the_header_are_kept_with_their_raw_text() throws IOException {
        try (CsvReportReader reader = new CsvReportReader(sample("past-security-registrants.csv"))) {
            List<CsvRow> rows = rows(reader);
            assertThat(rows).hasSize(6);
            assertThat(rows.get(1).malformed()).isTrue();
            assertThat(rows.get(1).raw()).isEqualTo(
                "ahmed.elsayed@example.eg,Ahmed,El-Sayed,2026-08-21T11:11:11Z,\"Nile Data, Inc.\",EG,extra-field-1,extra-field-2");
            assertThat(rows.get(1).values()).hasSize(8);
            assertThat(rows.get(2).raw()).isEqualTo("olafur.arnalds@example.is,Ólafur,Arnalds,2026-08-22T18:45:00Z");
            assertThat(rows.get(2).values()).hasSize(4);
            assertThat(rows).filteredOn(row -> !row.malformed()).hasSize(4);
        }
    }

    @Test
    void the_raw_text_of_a_malformed_row_spans_its_quoted_line_breaks() throws IOException {
        String csv = "a,b\r\n1,2\r\n\"x\r\ny\",2,3\r\n\r\n4,5\r\n\"last\nrow\"\n\n";
        try (CsvReportReader reader = new CsvReportReader(new StringReader(csv))) {
            List<CsvRow> rows = rows(reader);
            assertThat(rows).extracting(CsvRow::raw).containsExactly(null, "\"x\r\ny\",2,3", null, "\"last\nrow\"");
            assertThat(rows).extracting(CsvRow::number).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void duplicate_and_empty_header_names_are_made_unique_and_stable() {
        assertThat(HeaderNames.unique(List.of("email", "name", "Q?", "", "next", "next")))
            .containsExactly("email", "name", "Q?", "column_4", "next", "next_2");
        assertThat(HeaderNames.unique(List.of("a", "a", "a_2", "", "column_5", "")))
            .containsExactly("a", "a_3", "a_2", "column_4", "column_5", "column_6");
        assertThat(HeaderNames.unique(List.of(" a ", "a"))).containsExactly(" a ", "a");
    }

    @Test
    void values_are_kept_exactly_as_sent() throws IOException {
        String csv = "id,amount,note\n007, 1.50 ,\"\"\n";
        try (CsvReportReader reader = new CsvReportReader(new StringReader(csv))) {
            assertThat(reader.next().values()).containsExactly("007", " 1.50 ", "");
        }
    }

    @Test
    void an_empty_report_has_no_header_and_no_rows() throws IOException {
        try (CsvReportReader reader = new CsvReportReader(new StringReader(""))) {
            assertThat(reader.headers()).isEmpty();
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void a_large_report_is_read_row_by_row() throws IOException {
        int rows = 300_000;
        Reader generated = new Reader() {
            private int row;
            private String line = "email,company\r\n";
            private int at;

            @Override
            public int read(char[] buffer, int offset, int length) {
                if (at == line.length()) {
                    if (row == rows) {
                        return -1;
                    }
                    row++;
                    line = row % 1000 == 0 ? "user" + row + "@x,\"A, B\",extra\r\n" : "user" + row + "@x,\"A, B\"\r\n";
                    at = 0;
                }
                int n = Math.min(length, line.length() - at);
                line.getChars(at, at + n, buffer, offset);
                at += n;
                return n;
            }

            @Override
            public void close() {
            }
        };
        long count = 0;
        long malformed = 0;
        try (CsvReportReader reader = new CsvReportReader(generated)) {
            for (CsvRow row = reader.next(); row != null; row = reader.next()) {
                count++;
                if (row.malformed()) {
                    malformed++;
                    assertThat(row.raw()).isEqualTo("user" + row.number() + "@x,\"A, B\",extra");
                }
            }
        }
        assertThat(count).isEqualTo(rows);
        assertThat(malformed).isEqualTo(rows / 1000);
    }

    private static List<CsvRow> rows(CsvReportReader reader) {
        List<CsvRow> rows = new ArrayList<>();
        for (CsvRow row = reader.next(); row != null; row = reader.next()) {
            rows.add(row);
        }
        return rows;
    }

    private static Reader sample(String name) {
        return new InputStreamReader(CsvReportReaderTest.class.getResourceAsStream("/sandbox/reports/" + name), StandardCharsets.UTF_8);
    }
}
