package com.flowbridge.command;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One command record on its way through a batch: what was read, what flow-bridge decided to do with it, and
 * its outcome once there is one. Lanes carry a run from one thread to the next, never two threads at once.
 */
public final class CommandRun {

    /** What a command needs, decided once the ledger has caught up with everything written before it was read. */
    public enum Plan {
        /** Read again after its outcome was written (a redelivery): nothing more to do or to say. */
        REDELIVERED,
        /** Its commandId already has an outcome: outcome {@code duplicate}, FLOW is not called. */
        DUPLICATE,
        /** Malformed, invalid, or refused on what flow-bridge knows: outcome {@code rejected}, FLOW is not called. */
        REJECT,
        /** New: FLOW is called once. */
        CALL,
        /** A call was started but its outcome never written (a crash): FLOW is asked before anything is sent. */
        RECONCILE,
        /** A call was started but its outcome never written, and FLOW cannot be asked: outcome {@code failed}. */
        UNKNOWN,
        /** Has its outcome. */
        SETTLED
    }

    private final CommandSource source;
    private final String key;
    private final byte[] value;
    private final ObjectNode command;
    private final String commandId;
    private final List<FieldError> errors;
    private final long producedAt;
    private Plan plan;
    private String lane;
    private CommandRun originalRun;
    private ObjectNode outcome;
    private String deadLetterReason;
    private String knownOutcomeAt;
    private String outcomeAt;

    /**
     * @param command the record's JSON object, or null when the value is not one
     * @param errors     what is wrong with the command (malformed or invalid), empty when nothing is
     * @param producedAt when the command was written to its topic (the record's timestamp), in epoch milliseconds
     */
    CommandRun(CommandSource source, String key, byte[] value, ObjectNode command, String commandId, List<FieldError> errors,
               long producedAt) {
        this.source = source;
        this.key = key;
        this.value = value;
        this.command = command;
        this.commandId = commandId;
        this.errors = errors;
        this.producedAt = producedAt;
    }

    public CommandSource source() {
        return source;
    }

    public String key() {
        return key;
    }

    /** When the command was written to its topic, in epoch milliseconds. */
    public long producedAt() {
        return producedAt;
    }

    /** The record's value, exactly as read. */
    public byte[] value() {
        return value;
    }

    public ObjectNode command() {
        return command;
    }

    public String commandId() {
        return commandId;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Plan plan() {
        return plan;
    }

    public String lane() {
        return lane;
    }

    /** For the routes: whether FLOW must first be asked whether an interrupted call went through. */
    public boolean mustReconcile() {
        return plan == Plan.RECONCILE;
    }

    /** For the routes: whether FLOW is to be called now. */
    public boolean mustCallFlow() {
        return plan == Plan.CALL;
    }

    /** The command's text field, for the routes (e.g. the eventSessionToken of a registration). */
    public String field(String name) {
        return command == null ? null : command.path(name).asText(null);
    }

    public ObjectNode outcome() {
        return outcome;
    }

    /** The run of this batch with the same commandId whose outcome this one duplicates. */
    CommandRun originalRun() {
        return originalRun;
    }

    /** Why the command also goes to the dead-letter topic; null when it does not. */
    public String deadLetterReason() {
        return deadLetterReason;
    }

    /** Where the first outcome of this command's commandId is, when the ledger knew one before this batch. */
    String knownOutcomeAt() {
        return knownOutcomeAt;
    }

    void knownOutcomeAt(String at) {
        this.knownOutcomeAt = at;
    }

    /** Where this command's first outcome is ({@code topic/partition/offset}), once Kafka has placed this batch's outcomes. */
    String outcomeAt() {
        return outcomeAt;
    }

    void outcomeAt(String at) {
        this.outcomeAt = at;
    }

    void plan(Plan plan) {
        this.plan = plan;
    }

    void lane(String lane) {
        this.lane = lane;
    }

    void duplicateOf(CommandRun run) {
        this.plan = Plan.DUPLICATE;
        this.originalRun = run;
    }

    /** Reconciling found nothing in FLOW: the command is carried out after all (its pending marker is in the ledger already). */
    void callAfterAll() {
        this.plan = Plan.CALL;
    }

    /** The command's own outcome; {@code deadLetterReason} non-null sends the command to the dead-letter topic too. */
    void settle(ObjectNode outcome, String deadLetterReason) {
        this.outcome = outcome;
        this.deadLetterReason = deadLetterReason;
        this.plan = plan == Plan.DUPLICATE ? Plan.DUPLICATE : Plan.SETTLED;
    }
}
