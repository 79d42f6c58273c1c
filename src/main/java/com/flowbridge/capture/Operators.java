package com.flowbridge.capture;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.flow.FlowAnswerException;

/**
 * FLOW's operators ({@code routes/flow-operators-to-kafka.camel.yaml}), listed whole and keyed by their {@code id}. An
 * operator missing from the list is deleted; but a list with no operator at all, where some were published, is taken for
 * a glitch (an account always has its owner), and the cycle is skipped.
 */
public final class Operators implements PolledEntity {

    @Override
    public String entity() {
        return "operator";
    }

    @Override
    public String collection() {
        return "operators";
    }

    @Override
    public Scopes scopes(KnownSessions known, Instant now) {
        return Scopes.whole();
    }

    @Override
    public String id(ObjectNode operator) {
        JsonNode id = operator.get("id");
        if (id == null || !(id.isIntegralNumber() || id.isTextual()) || id.asText().isBlank()) {
            return null;
        }
        return id.asText().strip();
    }

    @Override
    public void check(String scope, Map<String, ObjectNode> read, Map<String, byte[]> published) {
        if (read.isEmpty() && !published.isEmpty()) {
            throw new FlowAnswerException("FLOW listed no operators, where " + published.size()
                + " were published; an account always has one, so nothing is deleted");
        }
    }
}
