package com.flowbridge.flow;

import java.util.Locale;

/**
 * Who goes first when FLOW calls wait for the shared budget ({@link FlowBudget}): commands (a CRM or a portal is
 * waiting for the outcome), then background polls, then report downloads. The one place where a FLOW call is
 * sorted, by the {@link FlowHeaders#ENDPOINT} its caller names, unless the caller says otherwise with
 * {@link FlowHeaders#PRIORITY}.
 */
public enum FlowPriority {

    /** {@code registration}, {@code event-creation}: someone is waiting for the outcome. */
    COMMAND,
    /** Everything else: sessions, session-info, registrants, operators, kamelet and any caller's own endpoint. */
    POLL,
    /** {@code surveys} and {@code report-*}: the CSV reports of past sessions, which nobody waits for. */
    REPORT;

    /** The priority of a call to {@code endpoint}; {@code explicit} (command, poll, report), when given, wins. */
    public static FlowPriority of(String endpoint, String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            try {
                return valueOf(explicit.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                throw new IllegalArgumentException("The " + FlowHeaders.PRIORITY + " header must be command, poll or report, was "
                    + explicit);
            }
        }
        if (endpoint == null) {
            return POLL;
        }
        return switch (endpoint) {
            case "registration", "event-creation" -> COMMAND;
            case "surveys" -> REPORT;
            default -> endpoint.startsWith("report-") ? REPORT : POLL;
        };
    }

    /** As in logs and metric labels: command, poll, report. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
