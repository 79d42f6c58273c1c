package com.flowbridge.command;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.flow.FlowCallException;
import com.flowbridge.flow.FlowRetryableException;

/**
 * What happens to a command record, one method per state it can be in: the one place that says when a command is sent
 * to FLOW, when its outcome goes to the results topic, and when it goes to the dead-letter topic as well. The route
 * ({@code routes/commands-to-flow-template.camel.yaml}) writes what is decided here; what differs between
 * registrations and event creations (a refusal from what flow-bridge knows, whether FLOW can be asked about an
 * interrupted call, what FLOW is sent and what its answer means) is the {@link CommandType}'s.
 *
 * <p>A record is decided once the ledger has caught up ({@link #decide}), then, if it went to FLOW, again once FLOW
 * has answered ({@link #carriedOut}, {@link #notCarriedOut}, {@link #checkedInFlow}, {@link #notCheckedInFlow}).
 * Where each {@link State} leads is written beside it.
 */
public final class CommandDecision {

    /** Where a command in a state goes next. */
    public enum Next {
        /** Nowhere: its outcome is on the results topic already. */
        NOTHING,
        /** To FLOW: the outcome is decided once FLOW has answered. */
        FLOW,
        /** Its outcome to the results topic. */
        RESULT,
        /** Its outcome to the results topic, and the record as it was read to the dead-letter topic. */
        RESULT_AND_DEAD_LETTER
    }

    /** The states of a command record, in the order {@link #decide} asks about them, then those FLOW's answer gives. */
    public enum State {
        /** Read again after its outcome was committed (a redelivery): nothing more to do or to say. */
        REDELIVERED(Next.NOTHING),
        /** Its commandId had an outcome before this batch: that outcome again, status {@code duplicate}. */
        DUPLICATE(Next.RESULT),
        /** Its commandId came earlier in this batch: the earlier record's outcome, status {@code duplicate}. */
        DUPLICATE_IN_BATCH(Next.RESULT),
        /** Not a JSON object: {@code rejected}, and a dead letter. */
        MALFORMED(Next.RESULT_AND_DEAD_LETTER),
        /** A JSON object, with fields missing or wrong: {@code rejected} naming each, and a dead letter. */
        INVALID(Next.RESULT_AND_DEAD_LETTER),
        /** Valid, but FLOW would refuse it from what flow-bridge knows (a registration for an ended session): {@code rejected}. */
        REFUSED(Next.RESULT),
        /** Pending from an earlier crash (sent to FLOW, no outcome written), and FLOW cannot be asked: {@code failed}, and a dead letter. */
        INTERRUPTED(Next.RESULT_AND_DEAD_LETTER),
        /** Pending from an earlier crash, and FLOW can be asked whether it went through: FLOW is asked before anything is sent. */
        INTERRUPTED_CHECK_FLOW(Next.FLOW),
        /** New: FLOW is called once. */
        NEW(Next.FLOW),
        /** FLOW carried it out: {@code registered} or {@code created}. */
        CARRIED_OUT(Next.RESULT),
        /** FLOW refused it (a 4xx, which another attempt would not change): {@code rejected}. */
        REJECTED_BY_FLOW(Next.RESULT),
        /** FLOW did not carry it out after every attempt: {@code failed}, and a dead letter. */
        FAILED(Next.RESULT_AND_DEAD_LETTER),
        /** Interrupted, and FLOW has it: the call had gone through, {@code registered}. (Not in FLOW: {@link #NEW}, sent now.) */
        FOUND_IN_FLOW(Next.RESULT),
        /** Interrupted, and FLOW could not say whether it has it: {@code failed}, and a dead letter; nothing is sent blindly. */
        CHECK_FAILED(Next.RESULT_AND_DEAD_LETTER);

        private final Next next;

        State(Next next) {
            this.next = next;
        }

        public Next next() {
            return next;
        }
    }

    private final CommandType type;
    private final ObjectMapper mapper;

    public CommandDecision(CommandType type, ObjectMapper mapper) {
        this.type = type;
        this.mapper = mapper;
    }

    // ---- when the batch is read

    /**
     * Decides a record read, in the order of the questions.
     *
     * @param known        what the ledger knows of the record's commandId
     * @param earlier      the record of this batch with the same commandId read before this one, or null
     * @param outcomeAt    an outcome read back from where the ledger says it is ({@code topic/partition/offset})
     */
    void decide(CommandRun run, CommandLedger.Knowledge known, CommandRun earlier, Function<String, byte[]> outcomeAt) {
        if (known.answeredHere()) {
            redelivered(run);
        } else if (known.outcomeAt() != null) {
            duplicate(run, known.outcomeAt(), json(outcomeAt.apply(known.outcomeAt())));
        } else if (earlier != null) {
            duplicateInBatch(run, earlier);
        } else if (run.command() == null) {
            malformed(run);
        } else if (!run.errors().isEmpty()) {
            invalid(run);
        } else if (type.refusal(run.command()) != null) {
            refused(run, type.refusal(run.command()));
        } else if (known.pending() && !type.reconcilable()) {
            interrupted(run);
        } else if (known.pending()) {
            interruptedCheckFlow(run);
        } else {
            isNew(run);
        }
    }

    private void redelivered(CommandRun run) {
        run.enter(State.REDELIVERED, null);
    }

    private void duplicate(CommandRun run, String firstOutcomeAt, JsonNode first) {
        run.knownOutcomeAt(firstOutcomeAt);
        run.enter(State.DUPLICATE, duplicateOf(run, first));
    }

    /** Its outcome comes once the earlier record has one ({@link #duplicateSettled}). */
    private void duplicateInBatch(CommandRun run, CommandRun earlier) {
        run.originalRun(earlier);
        run.enter(State.DUPLICATE_IN_BATCH, null);
    }

    private void malformed(CommandRun run) {
        run.enter(State.MALFORMED, rejectedForErrors(run, "malformed command: "));
    }

    private void invalid(CommandRun run) {
        run.enter(State.INVALID, rejectedForErrors(run, "invalid command: "));
    }

    private void refused(CommandRun run, String refusal) {
        run.enter(State.REFUSED, outcome(run, "rejected").put("reason", refusal));
    }

    private void interrupted(CommandRun run) {
        run.enter(State.INTERRUPTED, outcome(run, "failed").put("reason", "flow-bridge was interrupted while sending this "
            + "command to FLOW; whether FLOW carried it out is unknown: check FLOW, then send it again with a new "
            + "commandId if needed"));
    }

    private void interruptedCheckFlow(CommandRun run) {
        run.lane(type.lane(run.command(), run.commandId()));
        run.enter(State.INTERRUPTED_CHECK_FLOW, null);
    }

    private void isNew(CommandRun run) {
        run.lane(type.lane(run.command(), run.commandId()));
        run.enter(State.NEW, null);
    }

    /** An in-batch duplicate takes the earlier record's outcome once that has one, status {@code duplicate}. */
    void duplicateSettled(CommandRun run) {
        if (run.state() == State.DUPLICATE_IN_BATCH && run.originalRun().outcome() != null) {
            run.enter(State.DUPLICATE_IN_BATCH, duplicateOf(run, run.originalRun().outcome()));
        }
    }

    // ---- once FLOW has answered

    /**
     * FLOW carried the command out.
     *
     * @param flowResponse FLOW's answer as it came (null when it had no body)
     * @param location     the Location FLOW redirected to, or null
     */
    void carriedOut(CommandRun run, Integer httpStatus, String flowResponse, String location, int attempts) {
        ObjectNode outcome = outcome(run, type.successStatus());
        outcome.put("httpStatus", httpStatus);
        JsonNode response = parsed(flowResponse);
        outcome.set("flowResponse", response);
        type.succeeded(outcome, unwrapped(response), location);
        outcome.put("attempts", attempts);
        run.enter(State.CARRIED_OUT, outcome);
    }

    /** The call did not carry the command out: FLOW refused it (4xx), or did not answer after every attempt. */
    void notCarriedOut(CommandRun run, Exception failure) {
        if (failure instanceof FlowCallException call && !(call instanceof FlowRetryableException)) {
            rejectedByFlow(run, call);
        } else {
            failed(run, failure);
        }
    }

    private void rejectedByFlow(CommandRun run, FlowCallException call) {
        ObjectNode outcome = outcome(run, "rejected");
        outcome.put("httpStatus", call.status());
        outcome.put("reason", call.flowMessage());
        outcome.set("flowResponse", parsed(call.responseBody()));
        outcome.put("attempts", call.attempts());
        run.enter(State.REJECTED_BY_FLOW, outcome);
    }

    private void failed(CommandRun run, Exception failure) {
        ObjectNode outcome = outcome(run, "failed");
        if (failure instanceof FlowCallException call) {
            outcome.put("httpStatus", call.status() == 0 ? null : call.status());
            outcome.set("flowResponse", parsed(call.responseBody()));
            outcome.put("attempts", call.attempts());
            outcome.put("reason", "FLOW did not carry the command out after " + call.attempts() + " attempts: " + call.getMessage());
        } else {
            outcome.put("attempts", 1);
            outcome.put("reason", "The call to FLOW failed: " + (failure == null ? "unknown error" : failure.getMessage()));
        }
        run.enter(State.FAILED, outcome);
    }

    /**
     * FLOW's answer to "did an interrupted call go through?" ({@link CommandType#carriedOut}: for a registration, the
     * session's registrant list): found, it is the outcome; not found, the command is {@link State#NEW} after all.
     */
    void checkedInFlow(CommandRun run, List<ObjectNode> answer) {
        ObjectNode carriedOut = type.carriedOut(run.command(), answer);
        if (carriedOut == null) {
            run.enter(State.NEW, null);
            return;
        }
        ObjectNode outcome = outcome(run, type.successStatus());
        outcome.put("reason", "FLOW already has this " + type.kind() + ": flow-bridge was interrupted after sending it, "
            + "and found it in FLOW");
        outcome.set("flowResponse", carriedOut);
        type.succeeded(outcome, carriedOut, null);
        run.enter(State.FOUND_IN_FLOW, outcome);
    }

    /** FLOW could not be asked whether an interrupted call went through: sending it again blindly could do it twice. */
    void notCheckedInFlow(CommandRun run, Exception failure) {
        if (failure instanceof FlowCallException call && call.isNotFound()) {
            // What was looked in is not there (no such session yet): nothing of the command can be in FLOW.
            run.enter(State.NEW, null);
            return;
        }
        run.enter(State.CHECK_FAILED, outcome(run, "failed").put("reason", "flow-bridge was interrupted while sending this "
            + "command to FLOW, and FLOW could not be asked whether it went through ("
            + (failure == null ? "unknown error" : failure.getMessage())
            + "); check FLOW, then send it again with a new commandId if needed"));
    }

    // ---- outcomes

    /** An outcome with every field present: {@code commandId, status, <the command's>, httpStatus, reason, <answer>, flowResponse, attempts, ts_ms}. */
    private ObjectNode outcome(CommandRun run, String status) {
        ObjectNode outcome = mapper.createObjectNode().put("commandId", run.commandId()).put("status", status);
        type.describe(outcome, run.command());
        outcome.putNull("httpStatus");
        outcome.putNull("reason");
        type.answerFields().forEach(outcome::putNull);
        outcome.putNull("flowResponse");
        outcome.put("attempts", 0);
        outcome.put("ts_ms", System.currentTimeMillis());
        return outcome;
    }

    private ObjectNode rejectedForErrors(CommandRun run, String what) {
        ObjectNode outcome = outcome(run, "rejected").put("reason", what + FieldError.describe(run.errors()));
        outcome.set("errors", FieldError.toJson(run.errors()));
        return outcome;
    }

    /** The original outcome, with status {@code duplicate} (and the original's in {@code originalStatus}); FLOW was not called. */
    private static ObjectNode duplicateOf(CommandRun run, JsonNode original) {
        ObjectNode outcome = original.deepCopy();
        outcome.put("commandId", run.commandId());
        outcome.put("status", "duplicate");
        outcome.put("attempts", 0);
        outcome.put("ts_ms", System.currentTimeMillis());
        outcome.put("originalStatus", original.path("status").asText());
        return outcome;
    }

    private JsonNode parsed(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(body);
        } catch (IOException notJson) {
            return mapper.getNodeFactory().textNode(body);
        }
    }

    private static JsonNode unwrapped(JsonNode answer) {
        if (answer != null && answer.isObject() && answer.has("code") && answer.has("data")) {
            return answer.get("data");
        }
        return answer == null || answer.isTextual() ? null : answer;
    }

    private JsonNode json(byte[] outcome) {
        try {
            return mapper.readTree(outcome);
        } catch (IOException e) {
            throw new IllegalStateException("An outcome read back is not JSON", e);
        }
    }
}
