package com.flowbridge.observe;

import com.flowbridge.testing.LogLines;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlowReachabilityTest {

    private final FlowReachability reachability = new FlowReachability();

    @Test
    void an_outage_is_logged_once_when_it_starts_and_once_when_it_ends() {
        try (LogLines log = new LogLines("flow-bridge.flow")) {
            reachability.answered(200);
            reachability.failed("connection refused");
            reachability.failed("connection refused");
            reachability.answered(503);
            reachability.answered(404); // an answer: FLOW is there
            reachability.answered(200);

            assertThat(log.lines()).hasSize(2);
            assertThat(log.lines().get(0)).startsWith("WARN FLOW did not answer a request (connection refused)");
            assertThat(log.lines().get(1)).startsWith("INFO FLOW answers again after 0 s of failed requests (3 failed meanwhile)");
        }
    }

    @Test
    void nothing_is_logged_while_flow_answers() {
        try (LogLines log = new LogLines("flow-bridge.flow")) {
            reachability.answered(200);
            reachability.answered(429);
            assertThat(log.lines()).isEmpty();
        }
    }

    @Test
    void the_gauge_is_unknown_before_the_first_request_then_follows_the_latest_answer() throws InterruptedException {
        assertThat(reachability.up()).isNaN();
        reachability.answered(200);
        assertThat(reachability.up()).isEqualTo(1.0);
        Thread.sleep(2); // answers and failures are told apart by time
        reachability.failed("connection refused");
        assertThat(reachability.up()).isZero();
        Thread.sleep(2);
        reachability.answered(404); // an answer: FLOW is there
        assertThat(reachability.up()).isEqualTo(1.0);
        Thread.sleep(2);
        reachability.answered(503);
        assertThat(reachability.up()).isZero();
    }
}
