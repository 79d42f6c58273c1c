package com.flowbridge.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A report whose bytes are kept as given (sample files, a CSV put by a test), served byte for byte. */
record FixedCsvReport(byte[] bytes) implements CsvReport {

    static FixedCsvReport of(String text) {
        return new FixedCsvReport(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }

    /** UTF-8 decoded; a BOM stays in the text as U+FEFF, so the compiled report carries it too. */
    @Override
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
