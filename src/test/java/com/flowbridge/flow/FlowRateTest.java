package com.flowbridge.flow;

import java.time.Duration;
import java.util.ArrayDeque;

import com.flowbridge.flow.FlowRate.Answer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The rate's control loop on a simulated clock, against a simulated FLOW that allows {@code limit} requests in any
 * second (429 beyond it) and answers after {@code latency}. The callers always have more requests than the rate lets
 * through, unless a test says otherwise.
 */
class FlowRateTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1000 * MS;

    @Test
    void it_doubles_at_most_every_100_ms_while_flow_answers_well_and_requests_wait_up_to_the_ceiling() {
        Simulation sim = new Simulation(new FlowRate(1000, 10, 0.9, Duration.ofMinutes(5), 0), Integer.MAX_VALUE, 2 * MS, null);
        java.util.List<Double> rates = new java.util.ArrayList<>(java.util.List.of(10.0));
        java.util.List<Long> changedAt = new java.util.ArrayList<>(java.util.List.of(0L));

        while (sim.now < 2 * SECOND) {
            sim.runFor(MS);
            if (sim.rate.perSecond() != rates.get(rates.size() - 1)) {
                rates.add(sim.rate.perSecond());
                changedAt.add(sim.now);
            }
        }

        assertThat(rates).containsExactly(10.0, 20.0, 40.0, 80.0, 160.0, 320.0, 640.0, 1000.0);
        for (int i = 1; i < changedAt.size(); i++) {
            assertThat(changedAt.get(i) - changedAt.get(i - 1)).as("between doublings " + changedAt).isBetween(95 * MS, 200 * MS);
        }
        assertThat(changedAt.get(changedAt.size() - 1)).as("at the ceiling within a second").isLessThan(SECOND);
        assertThat(sim.refused).isZero();
    }

    @Test
    void it_does_not_grow_while_nothing_waits_for_it() {
        FlowRate rate = new FlowRate(1000, 10, 0.9, Duration.ofMinutes(5), 0);
        // One request every 200 ms at a rate of 10 a second: the rate never holds anyone back.
        for (long now = 0; now < 5 * SECOND; now += 200 * MS) {
            assertThat(rate.waitFor(now)).isZero();
            rate.take(now);
            rate.answered(now, now + 2 * MS, Answer.WELL, null);
        }
        assertThat(rate.perSecond()).isEqualTo(10);
    }

    @Test
    void a_429_while_flow_serves_most_requests_teaches_its_limit_and_the_rate_settles_under_it() {
        Simulation sim = new Simulation(new FlowRate(1000, 10, 0.9, Duration.ofMinutes(5), 0), 40, 2 * MS, "1");

        sim.runFor(30 * SECOND);

        assertThat(sim.rate.learned()).isCloseTo(40, within(1.0));
        assertThat(sim.rate.perSecond()).as("0.9 of the limit").isCloseTo(36, within(1.0));
        assertThat(sim.refused).as("refused once, not again and again").isBetween(1, 3);
        assertThat(sim.servedBetween(5 * SECOND, 30 * SECOND) / 25.0).as("served per second, once settled").isCloseTo(36, within(1.0));
    }

    @Test
    void without_retry_after_it_still_settles_under_the_limit_refused_only_while_it_learns() {
        Simulation sim = new Simulation(new FlowRate(1000, 10, 0.9, Duration.ofMinutes(5), 0), 40, 5 * MS, null);

        sim.runFor(30 * SECOND);

        assertThat(sim.rate.perSecond()).isBetween(30.0, 40.0);
        assertThat(sim.servedBetween(5 * SECOND, 30 * SECOND) / 25.0).isGreaterThan(0.8 * 40);
        assertThat(sim.refusedBetween(5 * SECOND, 30 * SECOND)).as("refusals once settled").isZero();
    }

    @Test
    void refused_again_at_the_rate_it_settled_at_it_settles_5_percent_lower_and_keeps_the_limit() {
        Simulation sim = new Simulation(new FlowRate(1000, 10, 0.9, Duration.ofMinutes(5), 0), 40, 2 * MS, "1");
        sim.runFor(10 * SECOND);
        assertThat(sim.rate.perSecond()).isCloseTo(36, within(0.5));

        // FLOW now counts 36 where flow-bridge sends 36 evenly (requests bunched up on the way, say).
        sim.limit = 36;
        sim.runFor(10 * SECOND);

        assertThat(sim.rate.perSecond()).isCloseTo(34.2, within(0.5));
        assertThat(sim.rate.learned()).as("the limit learned").isCloseTo(40, within(1.0));
    }

    @Test
    void refusals_that_go_on_however_far_it_settles_stop_lowering_it_at_0_7_of_the_limit() {
        Simulation sim = new Simulation(new FlowRate(1000, 10, 0.9, Duration.ofMinutes(5), 0), 40, 2 * MS, null);
        sim.runFor(5 * SECOND);
        assertThat(sim.rate.perSecond()).isCloseTo(36, within(0.5));

        // One 429 every 2 seconds whatever the rate (FLOW throttling one resource, say).
        for (int i = 0; i < 30; i++) {
            sim.runFor(2 * SECOND);
            sim.rate.answered(sim.now, sim.now + MS, Answer.TOO_MANY, null);
        }

        assertThat(sim.rate.perSecond()).isCloseTo(28, within(0.5));
        assertThat(sim.rate.learned()).isCloseTo(40, within(1.0));
    }

    @Test
    void the_requests_in_flight_when_flow_first_refuses_cut_the_rate_once() {
        FlowRate rate = new FlowRate(1000, 100, 0.9, Duration.ofMinutes(5), 0);
        long now = 0;
        for (int i = 0; i < 50; i++, now += 10 * MS) {
            rate.take(now);
            rate.answered(now, now + MS, Answer.WELL, null);
        }
        // Ten requests sent before the first refusal came back, all refused.
        for (int i = 0; i < 10; i++) {
            rate.answered(now - 5 * MS, now + i * MS, Answer.TOO_MANY, null);
        }

        assertThat(rate.learned()).isEqualTo(50);
        assertThat(rate.perSecond()).isEqualTo(45);
    }

    @Test
    void what_flow_served_is_counted_again_once_the_answers_still_on_their_way_when_it_refused_are_in() {
        FlowRate rate = new FlowRate(1000, 320, 0.9, Duration.ofMinutes(5), 0);
        // 40 requests served, sent 25 ms apart; the last 10 of their answers come back only after FLOW refused the 41st.
        long refusedSent = 40 * 25 * MS;
        for (int i = 0; i < 30; i++) {
            rate.answered(i * 25 * MS, i * 25 * MS + 2 * MS, Answer.WELL, null);
        }
        rate.answered(refusedSent, refusedSent + MS, Answer.TOO_MANY, Duration.ofSeconds(1));
        assertThat(rate.learned()).as("provisionally, from the answers in").isCloseTo(30, within(1.0));
        for (int i = 30; i < 40; i++) {
            rate.answered(i * 25 * MS, refusedSent + 50 * MS, Answer.WELL, null);
        }

        assertThat(rate.waitFor(refusedSent + 500 * MS)).as("the Retry-After pause").isPositive();
        assertThat(rate.waitFor(refusedSent + SECOND + 2 * MS)).isZero();
        assertThat(rate.learned()).as("once all answers are in").isCloseTo(40, within(1.0));
        assertThat(rate.perSecond()).isCloseTo(36, within(1.0));
    }

    @Test
    void requests_that_overtook_the_refused_one_on_the_way_count_as_served_in_flows_window() {
        FlowRate rate = new FlowRate(1000, 320, 0.9, Duration.ofMinutes(5), 0);
        // 36 requests sent before the one FLOW refused, and 4 sent just after it that reached FLOW first.
        long refusedSent = 36 * 25 * MS;
        for (int i = 0; i < 36; i++) {
            rate.answered(i * 25 * MS, i * 25 * MS + 2 * MS, Answer.WELL, null);
        }
        for (int i = 1; i <= 4; i++) {
            rate.answered(refusedSent + i * MS, refusedSent + 5 * MS, Answer.WELL, null);
        }
        rate.answered(refusedSent, refusedSent + 6 * MS, Answer.TOO_MANY, null);

        assertThat(rate.learned()).isCloseTo(40, within(1.0));
    }

    @Test
    void flow_refusing_most_requests_halves_the_rate_each_second_and_it_grows_back_to_what_was_learned() {
        Simulation sim = new Simulation(new FlowRate(1000, 10, 0.9, Duration.ofMinutes(5), 0), 40, 2 * MS, null);
        sim.runFor(10 * SECOND);
        assertThat(sim.rate.perSecond()).isCloseTo(36, within(1.0));

        sim.down = true;
        sim.runFor(5 * SECOND);
        assertThat(sim.rate.perSecond()).as("halved once a second for 5 s").isLessThan(3);
        assertThat(sim.rate.learned()).as("an outage teaches nothing about the limit").isCloseTo(40, within(1.0));

        sim.down = false;
        sim.runFor(3 * SECOND);
        assertThat(sim.rate.perSecond()).as("back within seconds").isCloseTo(36, within(1.0));
    }

    @Test
    void a_503_now_and_then_among_good_answers_is_about_one_resource_and_leaves_the_rate_alone() {
        FlowRate rate = new FlowRate(1000, 100, 0.9, Duration.ofMinutes(5), 0);
        long now = 0;
        for (int i = 0; i < 400; i++, now += 10 * MS) {
            rate.take(now);
            // One request in twenty (5 a second) is for a report FLOW cannot serve yet.
            rate.answered(now, now + MS, i % 20 == 19 ? Answer.UNAVAILABLE : Answer.WELL, null);
        }

        assertThat(rate.perSecond()).isEqualTo(100);
        assertThat(rate.learned()).isNaN();

        // A 429 is FLOW's quota speaking.
        rate.answered(now, now + MS, Answer.TOO_MANY, null);
        assertThat(rate.perSecond()).isLessThan(100);
    }

    @Test
    void a_retry_after_pauses_every_request_for_as_long_as_flow_asked() {
        FlowRate rate = new FlowRate(1000, 100, 0.9, Duration.ofMinutes(5), 0);
        rate.take(0);
        rate.answered(0, 10 * MS, Answer.TOO_MANY, Duration.ofSeconds(2));

        assertThat(rate.waitFor(10 * MS)).isEqualTo(2 * SECOND);
        assertThat(rate.waitFor(2 * SECOND + 9 * MS)).isEqualTo(MS);
        assertThat(rate.waitFor(2 * SECOND + 10 * MS)).isZero();
        assertThat(rate.pausedFor(SECOND)).isEqualTo(SECOND + 10 * MS);
    }

    @Test
    void a_retry_after_on_a_500_pauses_too_but_teaches_nothing() {
        FlowRate rate = new FlowRate(1000, 100, 0.9, Duration.ofMinutes(5), 0);
        rate.take(0);
        rate.answered(0, 10 * MS, Answer.UNKNOWN, Duration.ofSeconds(1));

        assertThat(rate.waitFor(20 * MS)).isEqualTo(990 * MS);
        assertThat(rate.perSecond()).isEqualTo(100);
        assertThat(rate.learned()).isNaN();
    }

    @Test
    void requests_are_paced_evenly_never_more_than_20_ms_early() {
        FlowRate rate = new FlowRate(1000, 10, 0.9, Duration.ofMinutes(5), 0);
        rate.take(0);
        assertThat(rate.waitFor(0)).isEqualTo(80 * MS);
        assertThat(rate.waitFor(80 * MS)).isZero();
        rate.take(80 * MS);
        assertThat(rate.waitFor(80 * MS)).as("due at 200 ms, allowed from 180 ms").isEqualTo(100 * MS);
    }

    @Test
    void once_the_probe_interval_has_passed_it_asks_flow_for_more_and_learns_a_higher_limit() {
        Simulation sim = new Simulation(new FlowRate(1000, 10, 0.9, Duration.ofSeconds(20), 0), 40, 2 * MS, "1");
        sim.runFor(10 * SECOND);
        assertThat(sim.rate.learned()).isCloseTo(40, within(1.0));

        sim.limit = 100;
        sim.runFor(10 * SECOND);
        assertThat(sim.rate.perSecond()).as("holds until the probe interval has passed").isCloseTo(36, within(1.0));
        sim.runFor(10 * SECOND);
        assertThat(sim.rate.learned()).isCloseTo(100, within(2.0));
        assertThat(sim.rate.perSecond()).isCloseTo(90, within(2.0));
    }

    @Test
    void the_ceiling_holds_whatever_flow_allows() {
        Simulation sim = new Simulation(new FlowRate(25, 10, 0.9, Duration.ofSeconds(1), 0), Integer.MAX_VALUE, MS, null);

        sim.runFor(10 * SECOND);

        assertThat(sim.rate.perSecond()).isEqualTo(25);
        for (long from = 0; from + SECOND <= 10 * SECOND; from += 100 * MS) {
            assertThat(sim.servedBetween(from, from + SECOND)).as("requests in any second").isLessThanOrEqualTo(26);
        }
    }

    /** Callers that always have another request, one at a time (the rate, not concurrency, is what is tested). */
    private static final class Simulation {
        final FlowRate rate;
        int limit;
        final long latency;
        final String retryAfter;
        boolean down;
        long now;
        int refused;
        final ArrayDeque<Long> accepted = new ArrayDeque<>();
        final java.util.List<Long> served = new java.util.ArrayList<>();
        final java.util.List<Long> refusals = new java.util.ArrayList<>();

        Simulation(FlowRate rate, int limit, long latency, String retryAfter) {
            this.rate = rate;
            this.limit = limit;
            this.latency = latency;
            this.retryAfter = retryAfter;
        }

        void runFor(long duration) {
            long end = now + duration;
            while (now < end) {
                long wait = rate.waitFor(now);
                if (wait > 0) {
                    now += Math.min(wait, end - now);
                    continue;
                }
                rate.take(now);
                long sentAt = now;
                boolean ok = flowAccepts(sentAt);
                now += latency;
                if (ok) {
                    served.add(sentAt);
                    rate.answered(sentAt, now, Answer.WELL, null);
                } else {
                    refused++;
                    refusals.add(sentAt);
                    rate.answered(sentAt, now, down ? Answer.UNAVAILABLE : Answer.TOO_MANY,
                        retryAfter == null ? null : RetryAfter.parse(retryAfter));
                }
            }
        }

        /** FLOW's own limit: at most {@code limit} accepted requests in any second. */
        private boolean flowAccepts(long at) {
            if (down) {
                return false;
            }
            while (!accepted.isEmpty() && accepted.peekFirst() <= at - SECOND) {
                accepted.removeFirst();
            }
            if (accepted.size() >= limit) {
                return false;
            }
            accepted.addLast(at);
            return true;
        }

        long servedBetween(long from, long to) {
            return served.stream().filter(t -> t >= from && t < to).count();
        }

        long refusedBetween(long from, long to) {
            return refusals.stream().filter(t -> t >= from && t < to).count();
        }
    }
}
