package com.flowbridge.command;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What differs between the kinds of command flow-bridge carries out in FLOW (registrations, event creations):
 * how a command is checked, which commands must keep their order, what FLOW is sent, and what the outcome
 * says. Everything else (batches, the ledger, retries, outcomes, dead letters) is shared.
 */
public interface CommandType {

    /** {@code registration} or {@code event}: names the kind in the ledger, in logs and in derived commandIds. */
    String kind();

    /** Everything wrong with the command, one error per field; empty when it may be sent to FLOW. */
    List<FieldError> validate(ObjectNode command);

    /** The command's normalised content, from which its commandId is derived when it has none. */
    byte[] normalised(ObjectNode command);

    /** Commands with the same lane are carried out one after another, in the order they were sent. */
    String lane(ObjectNode command, String commandId);

    /** The key of the command's record on the command topic; the webhook uses it, Kafka producers should too. */
    String commandKey(ObjectNode command, String commandId);

    /** Why FLOW would refuse this valid command anyway, from what flow-bridge knows (null: ask FLOW). */
    default String refusal(ObjectNode command) {
        return null;
    }

    /**
     * Whether FLOW can be asked if a call interrupted by a crash went through (registrations: the session's registrant list),
     * so that it is not sent blindly again; when it cannot, such a command's outcome is {@code failed}.
     */
    default boolean reconcilable() {
        return false;
    }

    /** FLOW's record of the command among the items FLOW answered to that question, or null when it is not there. */
    default ObjectNode carriedOut(ObjectNode command, List<ObjectNode> answer) {
        return null;
    }

    /** The body of the FLOW call. */
    ObjectNode flowRequest(ObjectNode command);

    /** The outcome's fields that name the command (taken from the command, null where it has none). */
    void describe(ObjectNode outcome, ObjectNode command);

    /** The fields only a success fills (e.g. loginUrl), present as null in every other outcome. */
    List<String> answerFields();

    /** The outcome status of a command FLOW carried out: {@code registered} or {@code created}. */
    String successStatus();

    /**
     * Fills the success fields from FLOW's answer.
     *
     * @param data     FLOW's answer, unwrapped from {@code {"code","data"}}; null when FLOW answered no JSON
     * @param location the Location FLOW redirected to, or null
     */
    void succeeded(ObjectNode outcome, JsonNode data, String location);

    /** The key of the command's outcome on the results topic (null when the command does not say). */
    String resultKey(ObjectNode outcome);
}
