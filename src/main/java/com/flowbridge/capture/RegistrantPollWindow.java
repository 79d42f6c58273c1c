package com.flowbridge.capture;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which sessions have their registrants polled: every future or live one, and a past one
 * ({@code accessStatus} 3) until {@code pastWindow} after it ended, as attendance and late changes still
 * arrive then, less and less often as it ages: every cycle in its first hour after its end, then once an hour
 * until a day after it, then once every 6 hours (and once in the first cycle after a start). So FLOW requests per
 * cycle grow with the account's future and live sessions and those just ended, not with its history. A session ends at its {@code date} and {@code time} in its {@code timezone}, plus its
 * {@code duration} in hours. Read leniently: no readable time counts as the end of that day, no readable
 * timezone as UTC, no readable duration as 0 hours. A past session without a readable date has no known end
 * and is not polled; a session without an accessStatus is polled.
 */
public final class RegistrantPollWindow {

    private final Duration pastWindow;

    public RegistrantPollWindow(Duration pastWindow) {
        if (pastWindow.isNegative()) {
            throw new IllegalArgumentException("flow.registrants.past-window cannot be negative, was " + pastWindow);
        }
        this.pastWindow = pastWindow;
    }

    /** Every cycle in a past session's first hour after its end; then once an hour; from a day after it, every 6 hours. */
    static final Duration EVERY_CYCLE_UNTIL = Duration.ofHours(1);
    static final Duration HOURLY_UNTIL = Duration.ofDays(1);
    static final Duration LATER_EVERY = Duration.ofHours(6);

    /** Whether the registrants of {@code session} (its last published event info) are ever polled at {@code now}. */
    public boolean polled(JsonNode session, Instant now) {
        return polled(session, now, null);
    }

    /**
     * Whether the registrants of {@code session} are polled in the cycle at {@code now}, the previous cycle having been at
     * {@code previousCycle} (null: none since the start). A past session is due when its age crosses a step of its
     * schedule between the two cycles.
     */
    public boolean polled(JsonNode session, Instant now, Instant previousCycle) {
        if (SessionState.of(SessionState.accessStatus(session)) != SessionState.ENDED) {
            return true;
        }
        Optional<Instant> ended = end(session);
        if (ended.isEmpty() || !now.isBefore(ended.get().plus(pastWindow))) {
            return false;
        }
        Instant end = ended.get();
        Duration age = Duration.between(end, now);
        if (previousCycle == null || age.compareTo(EVERY_CYCLE_UNTIL) < 0) {
            return true;
        }
        Duration every = age.compareTo(HOURLY_UNTIL) < 0 ? Duration.ofHours(1) : LATER_EVERY;
        return step(end, now, every) != step(end, previousCycle, every);
    }

    private static long step(Instant end, Instant at, Duration every) {
        return Math.floorDiv(Duration.between(end, at).toMillis(), every.toMillis());
    }

    /** When the session ends, if its date can be read. */
    public static Optional<Instant> end(JsonNode session) {
        LocalDate date = date(session.path("date").asText(""));
        if (date == null) {
            return Optional.empty();
        }
        LocalTime time = time(session.path("time").asText(""));
        ZoneId zone = zone(session.path("timezone").asText(""));
        Instant start = time == null
            ? date.plusDays(1).atStartOfDay(zone).toInstant()
            : date.atTime(time).atZone(zone).toInstant();
        return Optional.of(start.plusSeconds(durationSeconds(session.get("duration"))));
    }

    private static LocalDate date(String text) {
        try {
            // "2026-10-14", or the same with a time after it.
            return text.length() < 10 ? null : LocalDate.parse(text.substring(0, 10));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static LocalTime time(String text) {
        try {
            return text.isBlank() ? null : LocalTime.parse(text.strip());
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneId zone(String text) {
        try {
            return text.isBlank() ? ZoneOffset.UTC : ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    private static long durationSeconds(JsonNode duration) {
        double hours = 0;
        if (duration != null && duration.isNumber()) {
            hours = duration.asDouble();
        } else if (duration != null && duration.isTextual()) {
            try {
                hours = Double.parseDouble(duration.asText().strip());
            } catch (NumberFormatException e) {
                hours = 0;
            }
        }
        return Double.isFinite(hours) && hours > 0 ? Math.round(hours * 3600) : 0;
    }
}
