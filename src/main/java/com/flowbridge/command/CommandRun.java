package com.flowbridge.command;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.command.CommandDecision.Next;
import com.flowbridge.command.CommandDecision.State;

/**
 * One command record on its way through a batch: what was read, the state it is in ({@link CommandDecision}, the one
 * class that changes it), and its outcome once there is one. Lanes carry a run from one thread to the next, never two
 * threads at once.
 */
public final class CommandRun {

    private final CommandSource source;
    private final String key;
    private final byte[] value;
    private final ObjectNode command;
    private final String commandId;
    private final List<FieldError> errors;
    private final long producedAt;
    private State state;
    private String lane;
    private CommandRun originalRun;
    private ObjectNode outcome;
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

    public State state() {
        return state;
    }

    public String lane() {
        return lane;
    }

    /** For the routes: whether FLOW must first be asked whether an interrupted call went through. */
    public boolean mustReconcile() {
        return state == State.INTERRUPTED_CHECK_FLOW;
    }

    /** For the routes: whether FLOW is to be called now. */
    public boolean mustCallFlow() {
        return state == State.NEW;
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

    /** Why the command also goes to the dead-letter topic (its outcome's reason); null when it does not. */
    public String deadLetterReason() {
        return state != null && state.next() == Next.RESULT_AND_DEAD_LETTER ? outcome.path("reason").asText() : null;
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

    void lane(String lane) {
        this.lane = lane;
    }

    void originalRun(CommandRun run) {
        this.originalRun = run;
    }

    /** The state {@link CommandDecision} put the command in, with the outcome it has there (null while it has none). */
    void enter(State state, ObjectNode outcome) {
        this.state = state;
        this.outcome = outcome;
    }
}
