package com.flowbridge.capture;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RegistrantPollWindowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RegistrantPollWindow SEVEN_DAYS = new RegistrantPollWindow(Duration.ofDays(7));

    @Test
    void a_session_ends_at_its_date_and_time_in_its_timezone_plus_its_duration() {
        ObjectNode tokyo = session("{\"date\":\"2026-09-03\",\"time\":\"16:00:00\",\"timezone\":\"Asia/Tokyo\",\"duration\":1.5}");
        assertThat(RegistrantPollWindow.end(tokyo)).contains(Instant.parse("2026-09-03T08:30:00Z"));

        // Summer time in Madrid: UTC+2.
        ObjectNode madrid = session("{\"date\":\"2026-10-14\",\"time\":\"14:00\",\"timezone\":\"Europe/Madrid\",\"duration\":\"2\"}");
        assertThat(RegistrantPollWindow.end(madrid)).contains(Instant.parse("2026-10-14T14:00:00Z"));
    }

    @Test
    void what_cannot_be_read_is_read_leniently() {
        assertThat(RegistrantPollWindow.end(session("{\"date\":\"2026-09-03\"}")))
            .as("no time: the end of that day, in UTC").contains(Instant.parse("2026-09-04T00:00:00Z"));
        assertThat(RegistrantPollWindow.end(session("{\"date\":\"2026-09-03T00:00:00Z\",\"time\":\"10:00:00\",\"timezone\":\"Mars/Olympus\","
            + "\"duration\":\"long\"}"))).as("unknown zone: UTC; unreadable duration: 0").contains(Instant.parse("2026-09-03T10:00:00Z"));
        assertThat(RegistrantPollWindow.end(session("{\"time\":\"10:00:00\"}"))).isEmpty();
        assertThat(RegistrantPollWindow.end(session("{\"date\":\"soon\"}"))).isEmpty();
    }

    @Test
    void future_live_and_unlabelled_sessions_are_always_polled() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        assertThat(SEVEN_DAYS.polled(session("{\"accessStatus\":1,\"date\":\"2020-01-01\"}"), now)).isTrue();
        assertThat(SEVEN_DAYS.polled(session("{\"accessStatus\":2}"), now)).isTrue();
        assertThat(SEVEN_DAYS.polled(session("{\"title\":\"no status\"}"), now)).isTrue();
    }

    @Test
    void a_past_session_is_polled_until_the_window_after_its_end() {
        ObjectNode past = session("{\"accessStatus\":3,\"date\":\"2026-11-01\",\"time\":\"10:00:00\",\"timezone\":\"UTC\",\"duration\":2}");
        Instant end = Instant.parse("2026-11-01T12:00:00Z");

        assertThat(SEVEN_DAYS.polled(past, end.plus(Duration.ofDays(7)).minusSeconds(1))).isTrue();
        assertThat(SEVEN_DAYS.polled(past, end.plus(Duration.ofDays(7)))).isFalse();
        assertThat(new RegistrantPollWindow(Duration.ZERO).polled(past, end.minusSeconds(1))).as("ended early, FLOW says").isTrue();
    }

    @Test
    void a_past_session_is_polled_less_and_less_often_as_it_ages() {
        ObjectNode past = session("{\"accessStatus\":3,\"date\":\"2026-11-01\",\"time\":\"10:00:00\",\"timezone\":\"UTC\",\"duration\":2}");
        Instant end = Instant.parse("2026-11-01T12:00:00Z");
        Duration cycle = Duration.ofMinutes(1);

        assertThat(pollsOver(past, end, end.plus(Duration.ofHours(1)), cycle)).as("first hour: every cycle").isEqualTo(60);
        assertThat(pollsOver(past, end, end.plus(Duration.ofDays(1)), cycle)).as("first day: then hourly").isEqualTo(60 + 23);
        assertThat(pollsOver(past, end, end.plus(Duration.ofDays(7)), cycle)).as("until the window ends: then every 6 h")
            .isEqualTo(60 + 23 + 6 * 4);
        assertThat(SEVEN_DAYS.polled(past, end.plus(Duration.ofDays(3)).plusSeconds(10), null))
            .as("the first cycle after a start polls every session of the window").isTrue();
        assertThat(SEVEN_DAYS.polled(past, end.plus(Duration.ofDays(3)).plusSeconds(10), end.plus(Duration.ofDays(3)).minusSeconds(50)))
            .as("due: its age crossed 72 h between the two cycles").isTrue();
        assertThat(SEVEN_DAYS.polled(past, end.plus(Duration.ofDays(3)).plusSeconds(70), end.plus(Duration.ofDays(3)).plusSeconds(10)))
            .isFalse();
    }

    /** How many of the cycles every {@code cycle} from {@code from} until {@code until} poll the session. */
    private static int pollsOver(ObjectNode session, Instant from, Instant until, Duration cycle) {
        int polls = 0;
        Instant previous = null;
        for (Instant at = from; at.isBefore(until); at = at.plus(cycle)) {
            if (SEVEN_DAYS.polled(session, at, previous)) {
                polls++;
            }
            previous = at;
        }
        return polls;
    }

    @Test
    void a_past_session_without_a_readable_date_is_not_polled() {
        assertThat(SEVEN_DAYS.polled(session("{\"accessStatus\":3,\"time\":\"10:00:00\"}"), Instant.now())).isFalse();
        assertThat(SEVEN_DAYS.polled(session("{\"accessStatus\":\"3\",\"date\":\"\"}"), Instant.now())).isFalse();
    }

    private static ObjectNode session(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
