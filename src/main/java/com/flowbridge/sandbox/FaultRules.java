package com.flowbridge.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The injected faults, applied in the order they were added. */
final class FaultRules {

    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();

    void add(FaultRule rule) {
        rules.add(rule);
    }

    void clear() {
        rules.clear();
    }

    /**
     * Uses up the rules that apply to one request: every matching rule that still has uses, in order, up to
     * and including the first one that answers. The caller applies their delays, then that answer if any.
     */
    List<FaultRule> claim(String method, String path) {
        List<FaultRule> claimed = new ArrayList<>();
        for (FaultRule rule : rules) {
            if (rule.matches(method, path) && rule.tryUse()) {
                claimed.add(rule);
                if (rule.answers()) {
                    break;
                }
            }
        }
        return claimed;
    }

    ArrayNode toJson() {
        ArrayNode json = Json.array();
        rules.forEach(rule -> json.add(rule.toJson()));
        return json;
    }
}
