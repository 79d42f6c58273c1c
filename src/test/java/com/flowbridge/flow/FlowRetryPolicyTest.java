package com.flowbridge.flow;

import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlowRetryPolicyTest {

    private final FlowRetryPolicy policy = new FlowRetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5));

    @RepeatedTest(20)
    void backoff_grows_exponentially_with_jitter_between_half_and_the_whole_ceiling() {
        assertThat(policy.delayBeforeAttempt(2, null).toMillis()).isBetween(250L, 500L);
        assertThat(policy.delayBeforeAttempt(3, null).toMillis()).isBetween(500L, 1000L);
        assertThat(policy.delayBeforeAttempt(4, null).toMillis()).isBetween(1000L, 2000L);
        assertThat(policy.delayBeforeAttempt(30, null).toMillis()).isBetween(15_000L, 30_000L);
    }

    @Test
    void retry_after_is_never_undercut_and_one_beyond_the_longest_wait_ends_the_call() {
        assertThat(policy.delayBeforeAttempt(2, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.waitsOut(Duration.ofSeconds(7))).isTrue();
        assertThat(policy.waitsOut(Duration.ofMinutes(5))).isTrue();
        assertThat(policy.waitsOut(null)).isTrue();
        assertThat(policy.delayBeforeAttempt(2, Duration.ofHours(1))).as("not cut short").isEqualTo(Duration.ofHours(1));
        assertThat(policy.waitsOut(Duration.ofHours(1))).isFalse();
    }

    @Test
    void retry_after_reads_seconds_and_http_dates() {
        assertThat(RetryAfter.parse("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon")).isNull();
        assertThat(RetryAfter.parse(null)).isNull();
    }
}
