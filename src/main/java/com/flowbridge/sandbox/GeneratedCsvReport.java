package com.flowbridge.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A registrants-style report of any size, produced row by row while it is sent, so a million rows never sit
 * in memory. Rows are deterministic: row n is {@code user<n>@example.test}, and every tenth row has a
 * quoted company name containing a comma. Rows end with CRLF.
 */
record GeneratedCsvReport(int rows) implements CsvReport {

    /** Above this, the compiled report refuses, as FLOW does, and the product must use the per-kind endpoint. */
    static final int COMPILED_LIMIT = 50_000;

    private static final String HEADER = "email,firstName,lastName,registrationDate,company\r\n";
    private static final Instant FIRST_REGISTRATION = Instant.parse("2026-01-01T00:00:00Z");

    GeneratedCsvReport {
        if (rows < 0) {
            throw ApiError.badRequest("rows must be 0 or more");
        }
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writer.write(HEADER);
        for (int n = 1; n <= rows; n++) {
            writer.write(row(n));
        }
        writer.flush();
    }

    @Override
    public String text() {
        if (rows > COMPILED_LIMIT) {
            throw new ApiError(413, "report too large, use the per-kind CSV endpoint");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("Writing to memory cannot fail", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String row(int n) {
        String company = n % 10 == 0 ? "\"Company " + n + ", Ltd.\"" : "Company " + n;
        return "user" + n + "@example.test,First" + n + ",Last" + n + ","
                + FIRST_REGISTRATION.plusSeconds(n) + "," + company + "\r\n";
    }
}
