package com.flowbridge.command;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.capture.CanonicalJson;
import com.flowbridge.capture.Change;
import com.flowbridge.capture.EmittedState;
import com.flowbridge.capture.Op;
import com.flowbridge.command.CommandDecision.Next;
import com.flowbridge.command.CommandDecision.State;
import com.flowbridge.command.CommandLedger.Knowledge;
import com.flowbridge.flow.FlowCallException;
import com.flowbridge.flow.FlowRetryableException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every state a command record can be in, where it leads (FLOW, the results topic, the dead-letter topic) and its outcome. */
class CommandDecisionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CanonicalJson CANONICAL = new CanonicalJson(JSON);
    private static final String ADA = "{\"email\":\"Ada@Example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\","
        + "\"eventSessionToken\":\"live-townhall\"}";
    private static final Knowledge UNKNOWN = new Knowledge(false, null, false);
    private static final Knowledge PENDING = new Knowledge(false, null, true);
    private static final Function<String, byte[]> NO_OUTCOMES = at -> {
        throw new AssertionError("no outcome should be read back, asked for " + at);
    };

    private final EmittedState sessions = new EmittedState("flow.events", false, null, JSON, CANONICAL);
    private final CommandParser parser = new CommandParser(JSON, 100_000);
    private final CommandType registration = new Registrations(sessions, true);
    private final CommandType event = new EventCreations(CANONICAL);
    private final CommandDecision registrations = new CommandDecision(registration, JSON);
    private final CommandDecision events = new CommandDecision(event, JSON);
    private long offset;

    @Test
    void a_new_command_goes_to_flow_in_its_lane_with_no_outcome_yet() {
        CommandRun run = run(ADA);
        registrations.decide(run, UNKNOWN, null, NO_OUTCOMES);

        assertThat(run.state()).isEqualTo(State.NEW);
        assertThat(run.state().next()).isEqualTo(Next.FLOW);
        assertThat(run.mustCallFlow()).isTrue();
        assertThat(run.lane()).isEqualTo("live-townhall:ada@example.com");
        assertThat(run.outcome()).isNull();
        assertThat(run.deadLetterReason()).isNull();
    }

    @Test
    void a_record_read_again_after_its_outcome_was_committed_goes_nowhere() {
        CommandRun run = run(ADA);
        registrations.decide(run, new Knowledge(true, "flow.registration.results/0/7", false), null, NO_OUTCOMES);

        assertThat(run.state()).isEqualTo(State.REDELIVERED);
        assertThat(run.state().next()).isEqualTo(Next.NOTHING);
        assertThat(run.outcome()).isNull();
        assertThat(run.mustCallFlow()).isFalse();
    }

    @Test
    void a_duplicate_repeats_the_first_outcome_read_back_from_where_the_ledger_says_it_is() {
        CommandRun run = run(ADA);
        String first = "{\"commandId\":\"x\",\"status\":\"registered\",\"loginUrl\":\"https://flow/l/1\",\"attempts\":1}";
        registrations.decide(run, new Knowledge(false, "flow.registration.results/0/7", false), null,
            at -> at.equals("flow.registration.results/0/7") ? first.getBytes(StandardCharsets.UTF_8) : null);

        assertSettled(run, State.DUPLICATE, Next.RESULT, "duplicate");
        assertThat(run.outcome().path("originalStatus").asText()).isEqualTo("registered");
        assertThat(run.outcome().path("loginUrl").asText()).isEqualTo("https://flow/l/1");
        assertThat(run.outcome().path("commandId").asText()).isEqualTo(run.commandId());
        assertThat(run.outcome().path("attempts").asInt()).isZero();
        assertThat(run.knownOutcomeAt()).isEqualTo("flow.registration.results/0/7");
        assertThat(run.deadLetterReason()).isNull();
    }

    @Test
    void a_duplicate_in_the_same_batch_takes_the_earlier_records_outcome_once_it_has_one() {
        CommandRun earlier = run(ADA);
        registrations.decide(earlier, UNKNOWN, null, NO_OUTCOMES);
        CommandRun again = run(ADA);
        registrations.decide(again, UNKNOWN, earlier, NO_OUTCOMES);

        assertThat(again.state()).isEqualTo(State.DUPLICATE_IN_BATCH);
        assertThat(again.state().next()).isEqualTo(Next.RESULT);
        assertThat(again.mustCallFlow()).isFalse();
        registrations.duplicateSettled(again);
        assertThat(again.outcome()).isNull();

        registrations.carriedOut(earlier, 201, "{\"code\":201,\"data\":{\"loginUrl\":\"https://flow/l/2\"}}", null, 1);
        registrations.duplicateSettled(again);
        assertThat(again.outcome().path("status").asText()).isEqualTo("duplicate");
        assertThat(again.outcome().path("originalStatus").asText()).isEqualTo("registered");
        assertThat(again.outcome().path("loginUrl").asText()).isEqualTo("https://flow/l/2");
    }

    @Test
    void a_malformed_record_is_rejected_and_dead_lettered_without_flow() {
        CommandRun run = run("{\"email\":");
        registrations.decide(run, UNKNOWN, null, NO_OUTCOMES);

        assertSettled(run, State.MALFORMED, Next.RESULT_AND_DEAD_LETTER, "rejected");
        assertThat(run.outcome().path("reason").asText()).startsWith("malformed command: ");
        assertThat(run.deadLetterReason()).isEqualTo(run.outcome().path("reason").asText());
        assertThat(run.mustCallFlow()).isFalse();
    }

    @Test
    void an_invalid_command_is_rejected_naming_each_field_and_dead_lettered() {
        CommandRun run = run("{\"email\":\"ada\",\"firstName\":\"Ada\",\"eventSessionToken\":\"live-townhall\"}");
        registrations.decide(run, UNKNOWN, null, NO_OUTCOMES);

        assertSettled(run, State.INVALID, Next.RESULT_AND_DEAD_LETTER, "rejected");
        assertThat(run.outcome().path("reason").asText()).startsWith("invalid command: ").contains("email", "lastName");
        assertThat(run.outcome().path("errors").findValuesAsText("field")).containsExactly("email", "lastName");
        assertThat(run.deadLetterReason()).isEqualTo(run.outcome().path("reason").asText());
    }

    @Test
    void a_registration_for_a_session_known_to_have_ended_is_refused_without_flow_and_without_a_dead_letter() {
        ObjectNode ended = JSON.createObjectNode().put("token", "live-townhall").put("accessStatus", 3);
        sessions.remember(new Change("session", Op.UPDATE, "", "live-townhall", null, ended));
        CommandRun run = run(ADA);
        registrations.decide(run, UNKNOWN, null, NO_OUTCOMES);

        assertSettled(run, State.REFUSED, Next.RESULT, "rejected");
        assertThat(run.outcome().path("reason").asText()).contains("live-townhall", "ended");
        assertThat(run.deadLetterReason()).isNull();
    }

    @Test
    void an_interrupted_event_creation_fails_with_a_dead_letter_as_flow_cannot_be_asked() {
        CommandRun run = run(event, "{\"commandId\":\"crm-7\",\"creatorID\":1,\"title\":\"T\",\"description\":\"D\","
            + "\"date\":\"2028-02-29\",\"time\":\"10:00:00\",\"timezone\":\"Europe/Paris\",\"operators\":[{\"id\":1,"
            + "\"role\":5,\"micEnabled\":true,\"camEnabled\":true,\"screenSharingEnabled\":false}]}");
        events.decide(run, PENDING, null, NO_OUTCOMES);

        assertSettled(run, State.INTERRUPTED, Next.RESULT_AND_DEAD_LETTER, "failed");
        assertThat(run.outcome().path("title").asText()).isEqualTo("T");
        assertThat(run.deadLetterReason()).contains("interrupted", "new commandId");
        assertThat(run.mustCallFlow()).isFalse();
    }

    @Test
    void an_interrupted_registration_is_checked_in_flow_before_anything_is_sent() {
        CommandRun run = run(ADA);
        registrations.decide(run, PENDING, null, NO_OUTCOMES);

        assertThat(run.state()).isEqualTo(State.INTERRUPTED_CHECK_FLOW);
        assertThat(run.state().next()).isEqualTo(Next.FLOW);
        assertThat(run.mustReconcile()).isTrue();
        assertThat(run.mustCallFlow()).isFalse();
        assertThat(run.lane()).isEqualTo("live-townhall:ada@example.com");
    }

    @Test
    void an_interrupted_registration_flow_has_is_found_there_and_not_sent_again() {
        CommandRun run = interruptedRegistration();
        ObjectNode ada = JSON.createObjectNode().put("email", " ada@example.COM ").put("loginUrl", "https://flow/l/3");
        registrations.checkedInFlow(run, List.of(JSON.createObjectNode().put("email", "bob@example.com"), ada));

        assertSettled(run, State.FOUND_IN_FLOW, Next.RESULT, "registered");
        assertThat(run.outcome().path("loginUrl").asText()).isEqualTo("https://flow/l/3");
        assertThat(run.outcome().path("reason").asText()).contains("found it in FLOW");
        assertThat(run.mustCallFlow()).isFalse();
    }

    @Test
    void an_interrupted_registration_flow_does_not_have_is_sent_after_all() {
        CommandRun run = interruptedRegistration();
        registrations.checkedInFlow(run, List.of(JSON.createObjectNode().put("email", "bob@example.com")));

        assertThat(run.state()).isEqualTo(State.NEW);
        assertThat(run.mustCallFlow()).isTrue();
        assertThat(run.outcome()).isNull();
    }

    @Test
    void an_interrupted_registration_whose_session_flow_does_not_know_is_sent_after_all() {
        CommandRun run = interruptedRegistration();
        registrations.notCheckedInFlow(run, new FlowCallException("registrants", 404, "no such session", null, 1, null));

        assertThat(run.state()).isEqualTo(State.NEW);
        assertThat(run.mustCallFlow()).isTrue();
    }

    @Test
    void an_interrupted_registration_flow_could_not_be_asked_about_fails_with_a_dead_letter() {
        CommandRun run = interruptedRegistration();
        registrations.notCheckedInFlow(run, new FlowRetryableException("registrants", 503, "busy", null, 5, null));

        assertSettled(run, State.CHECK_FAILED, Next.RESULT_AND_DEAD_LETTER, "failed");
        assertThat(run.deadLetterReason()).contains("could not be asked", "busy");
        assertThat(run.mustCallFlow()).isFalse();
    }

    @Test
    void a_command_flow_carried_out_gets_its_success_outcome_from_flows_answer() {
        CommandRun run = newRegistration();
        registrations.carriedOut(run, 302, null, "https://flow/login/ada", 2);

        assertSettled(run, State.CARRIED_OUT, Next.RESULT, "registered");
        assertThat(run.outcome().path("httpStatus").asInt()).isEqualTo(302);
        assertThat(run.outcome().path("loginUrl").asText()).isEqualTo("https://flow/login/ada");
        assertThat(run.outcome().path("attempts").asInt()).isEqualTo(2);
        assertThat(run.deadLetterReason()).isNull();
    }

    @Test
    void a_command_flow_refused_with_a_4xx_is_rejected_without_a_dead_letter() {
        CommandRun run = newRegistration();
        registrations.notCarriedOut(run, new FlowCallException("registration", 422, "email taken", "{\"message\":\"email taken\"}", 1, null));

        assertSettled(run, State.REJECTED_BY_FLOW, Next.RESULT, "rejected");
        assertThat(run.outcome().path("httpStatus").asInt()).isEqualTo(422);
        assertThat(run.outcome().path("reason").asText()).isEqualTo("email taken");
        assertThat(run.outcome().path("flowResponse").path("message").asText()).isEqualTo("email taken");
        assertThat(run.deadLetterReason()).isNull();
    }

    @Test
    void a_command_flow_did_not_carry_out_after_every_attempt_fails_with_a_dead_letter() {
        CommandRun run = newRegistration();
        registrations.notCarriedOut(run, new FlowRetryableException("registration", 503, "busy", null, 5, null));

        assertSettled(run, State.FAILED, Next.RESULT_AND_DEAD_LETTER, "failed");
        assertThat(run.outcome().path("httpStatus").asInt()).isEqualTo(503);
        assertThat(run.outcome().path("attempts").asInt()).isEqualTo(5);
        assertThat(run.deadLetterReason()).startsWith("FLOW did not carry the command out after 5 attempts");
    }

    @Test
    void a_call_that_broke_without_an_answer_fails_with_a_dead_letter() {
        CommandRun run = newRegistration();
        registrations.notCarriedOut(run, new IllegalStateException("connection reset"));

        assertThat(run.state()).isEqualTo(State.FAILED);
        assertThat(run.outcome().path("httpStatus").isNull()).isTrue();
        assertThat(run.deadLetterReason()).isEqualTo("The call to FLOW failed: connection reset");
    }

    @Test
    void every_state_is_named_here() {
        assertThat(State.values()).containsExactly(State.REDELIVERED, State.DUPLICATE, State.DUPLICATE_IN_BATCH,
            State.MALFORMED, State.INVALID, State.REFUSED, State.INTERRUPTED, State.INTERRUPTED_CHECK_FLOW, State.NEW,
            State.CARRIED_OUT, State.REJECTED_BY_FLOW, State.FAILED, State.FOUND_IN_FLOW, State.CHECK_FAILED);
    }

    /** The run is in {@code state}, which leads to {@code next}, with an outcome of {@code status}. */
    private static void assertSettled(CommandRun run, State state, Next next, String status) {
        assertThat(run.state()).isEqualTo(state);
        assertThat(state.next()).isEqualTo(next);
        assertThat(run.outcome().path("status").asText()).isEqualTo(status);
    }

    private CommandRun newRegistration() {
        CommandRun run = run(ADA);
        registrations.decide(run, UNKNOWN, null, NO_OUTCOMES);
        return run;
    }

    private CommandRun interruptedRegistration() {
        CommandRun run = run(ADA);
        registrations.decide(run, PENDING, null, NO_OUTCOMES);
        return run;
    }

    private CommandRun run(String value) {
        return run(registration, value);
    }

    /** A record read from a command topic, parsed and checked as CommandFlow does (the commandId here names its offset). */
    private CommandRun run(CommandType type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        CommandParser.Parsed parsed = parser.parse(bytes);
        CommandSource source = new CommandSource("flow.commands", 0, offset++);
        String commandId = "cmd-" + source.offset();
        if (parsed.error() != null) {
            return new CommandRun(source, null, bytes, null, commandId, List.of(parsed.error()), 0);
        }
        return new CommandRun(source, null, bytes, parsed.command(), commandId, type.validate(parsed.command()), 0);
    }
}
