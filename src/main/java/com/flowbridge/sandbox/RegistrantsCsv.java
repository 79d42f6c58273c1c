package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The registrants report of a session nobody gave one for, written from its registrant list. */
final class RegistrantsCsv {

    private static final String[] COLUMNS = {"email", "firstName", "lastName", "registrationDate", "loginUrl"};

    private RegistrantsCsv() {
    }

    static CsvReport of(List<ObjectNode> registrants) {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (ObjectNode registrant : registrants) {
            for (int i = 0; i < COLUMNS.length; i++) {
                csv.append(i == 0 ? "" : ",").append(field(registrant.path(COLUMNS[i]).asText()));
            }
            csv.append("\r\n");
        }
        return FixedCsvReport.of(csv.toString());
    }

    private static String field(String value) {
        boolean needsQuotes = value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r");
        return needsQuotes ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
