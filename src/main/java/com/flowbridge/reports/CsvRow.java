package com.flowbridge.reports;

/**
 * One data row of a CSV report.
 *
 * @param number 1-based, counting data rows only (not the header, not blank lines)
 * @param values the fields exactly as FLOW sent them
 * @param raw    the row's text as it came, for a row whose field count differs from the header's; null otherwise
 */
public record CsvRow(long number, String[] values, String raw) {

    public boolean malformed() {
        return raw != null;
    }
}
