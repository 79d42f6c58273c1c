package com.flowbridge.reports;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportRetriesTest {

    @Test
    void each_failure_doubles_the_wait_up_to_the_maximum_and_success_forgets_them() {
        ReportRetries retries = new ReportRetries(Duration.ofSeconds(30), Duration.ofMinutes(2));
        Instant now = Instant.parse("2026-11-27T10:00:00Z");

        assertThat(retries.failed("r", now).notBefore()).isEqualTo(now.plusSeconds(30));
        assertThat(retries.failed("r", now).notBefore()).isEqualTo(now.plusSeconds(60));
        assertThat(retries.failed("r", now).notBefore()).isEqualTo(now.plusSeconds(120));
        assertThat(retries.failed("r", now).notBefore()).isEqualTo(now.plusSeconds(120));
        assertThat(retries.waiting("r", now.plusSeconds(119))).isTrue();
        assertThat(retries.waiting("r", now.plusSeconds(120))).isFalse();
        assertThat(retries.waiting("other", now)).isFalse();

        assertThat(retries.succeeded("r")).isEqualTo(4);
        assertThat(retries.waiting("r", now)).isFalse();
        assertThat(retries.failed("r", now).failures()).isEqualTo(1);
    }
}
