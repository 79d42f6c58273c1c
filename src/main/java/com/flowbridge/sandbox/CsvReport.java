package com.flowbridge.sandbox;

import java.io.IOException;
import java.io.OutputStream;

/** One CSV report of a past session: served as is by the per-kind endpoint and inside the compiled report. */
interface CsvReport {

    /** Writes the report's bytes, exactly as FLOW would send them. */
    void writeTo(OutputStream out) throws IOException;

    /** The whole report as text, for the compiled JSON report; may refuse (413) when it is too large for that. */
    String text();
}
