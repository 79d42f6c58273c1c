package com.flowbridge.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code status} found, and what of it is wrong: no active poller, a flow whose last cycle failed, or a flow with
 * no cycle ended within {@value #LATE_AFTER_INTERVALS} of its poll intervals. Lag, dead letters and pending commands are
 * reported, not judged: how many are too many is the operator's call.
 */
record Status(Instant at, String kafka, Poller poller, String pollerNotChecked, List<Cycle> cycles, List<Lag> lags,
              List<DeadLetters> deadLetters, Pending pending) {

    static final int LATE_AFTER_INTERVALS = 3;

    /** The poller group: its state, the instance holding the coordination partition (null: none), every member. */
    record Poller(String group, String state, String active, List<String> members) {
    }

    /** One flow's last cycle fact ({@code fact} null when the state topic has none), and how often it should come. */
    record Cycle(String collection, Duration interval, JsonNode fact) {

        Instant endedAt() {
            return fact == null || !fact.hasNonNull("endedAt") ? null : Instant.parse(fact.path("endedAt").asText());
        }

        String result() {
            return fact == null ? "none" : fact.path("result").asText("unknown");
        }

        /** Why this flow is wrong at {@code now}, or null. */
        String problem(Instant now) {
            Duration late = interval.multipliedBy(LATE_AFTER_INTERVALS);
            if (fact == null) {
                return collection + ": no cycle on record";
            }
            if ("failed".equals(result())) {
                return collection + ": the last cycle failed: " + fact.path("reason").asText("(no reason)");
            }
            if (endedAt().isBefore(now.minus(late))) {
                return collection + ": no cycle ended in the last " + late.toSeconds() + " s (" + LATE_AFTER_INTERVALS
                    + " poll intervals of " + interval.toSeconds() + " s)";
            }
            return null;
        }
    }

    /** A command topic's lag: end offsets minus the commands group's committed offsets, over its partitions. */
    record Lag(String topic, long lag, int partitions, int partitionsWithoutCommit) {
    }

    /** Dead letters written to one dead-letter topic in the last hour and the last day. */
    record DeadLetters(String topic, long lastHour, long lastDay) {
    }

    /** Commands whose last ledger marker is pending, by kind, and when the oldest of them was marked. */
    record Pending(String topic, Map<String, Long> byKind, Instant oldest) {
        long total() {
            return byKind.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Everything wrong, one sentence each; empty when all is well. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (pollerNotChecked == null && poller.active() == null) {
            problems.add("no active poller: the group " + poller.group() + " is " + poller.state().toLowerCase()
                + (poller.members().isEmpty() ? " with no member (no flow-bridge instance is running?)"
                : " and none of its members " + poller.members() + " holds the poller partition"));
        }
        for (Cycle cycle : cycles) {
            String problem = cycle.problem(at);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    ObjectNode json(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode().put("at", at.toString()).put("kafka", kafka);
        List<String> problems = problems();
        root.put("ok", problems.isEmpty());
        problems.forEach(root.putArray("problems")::add);
        ObjectNode pollerNode = root.putObject("poller");
        if (pollerNotChecked != null) {
            pollerNode.put("notChecked", pollerNotChecked);
        } else {
            pollerNode.put("group", poller.group()).put("state", poller.state()).put("active", poller.active());
            poller.members().forEach(pollerNode.putArray("members")::add);
        }
        ObjectNode cyclesNode = root.putObject("cycles");
        for (Cycle cycle : cycles) {
            ObjectNode node = cyclesNode.putObject(cycle.collection());
            node.put("intervalSeconds", cycle.interval().toSeconds()).put("problem", cycle.problem(at));
            node.set("last", cycle.fact());
        }
        ObjectNode lagNode = root.putObject("commandLag");
        for (Lag lag : lags) {
            lagNode.putObject(lag.topic()).put("lag", lag.lag()).put("partitions", lag.partitions())
                .put("partitionsWithoutCommit", lag.partitionsWithoutCommit());
        }
        ObjectNode deadNode = root.putObject("deadLetters");
        for (DeadLetters dead : deadLetters) {
            deadNode.putObject(dead.topic()).put("lastHour", dead.lastHour()).put("lastDay", dead.lastDay());
        }
        ObjectNode pendingNode = root.putObject("commandsPending").put("total", pending.total())
            .put("oldest", pending.oldest() == null ? null : pending.oldest().toString());
        pending.byKind().forEach(pendingNode::put);
        return root;
    }

    /** The short table a person reads. */
    String table() {
        StringBuilder text = new StringBuilder();
        text.append("flow-bridge status at ").append(at).append(" (Kafka at ").append(kafka).append(")\n");
        if (pollerNotChecked != null) {
            row(text, "active poller", "not checked: " + pollerNotChecked);
        } else {
            List<String> standby = poller.members().stream().filter(member -> !member.equals(poller.active())).toList();
            row(text, "active poller", (poller.active() == null ? "NONE" : poller.active())
                + " (group " + poller.group() + ", " + poller.state().toLowerCase()
                + (standby.isEmpty() ? ", no standby" : ", standby: " + String.join(", ", standby)) + ")");
        }
        for (Cycle cycle : cycles) {
            String line;
            if (cycle.fact() == null) {
                line = "none on record";
            } else {
                JsonNode fact = cycle.fact();
                long ago = Math.max(0, Duration.between(cycle.endedAt(), at).toSeconds());
                line = String.format("%-7s ended %ds ago on %s: %s", cycle.result(), ago, fact.path("instance").asText(),
                    fact.hasNonNull("reason") ? fact.path("reason").asText() : fact.path("summary").asText());
            }
            row(text, "cycle " + cycle.collection(), line);
        }
        for (Lag lag : lags) {
            row(text, "lag " + lag.topic(), lag.lag() + (lag.partitionsWithoutCommit() > 0
                ? " (" + lag.partitionsWithoutCommit() + " of " + lag.partitions() + " partitions never committed)" : ""));
        }
        for (DeadLetters dead : deadLetters) {
            row(text, "dead letters " + dead.topic(), dead.lastHour() + " in the last hour, " + dead.lastDay() + " in the last day");
        }
        StringBuilder pendingLine = new StringBuilder(String.valueOf(pending.total()));
        pending.byKind().forEach((kind, count) -> pendingLine.append(pendingLine.indexOf("(") < 0 ? " (" : ", ")
            .append(kind).append(' ').append(count));
        pendingLine.append(')');
        if (pending.oldest() != null) {
            pendingLine.append(", oldest marked ").append(pending.oldest());
        }
        row(text, "commands pending", pendingLine.toString());
        List<String> problems = problems();
        row(text, "status", problems.isEmpty() ? "OK" : "WRONG");
        problems.forEach(problem -> text.append("  - ").append(problem).append('\n'));
        return text.toString();
    }

    private static void row(StringBuilder text, String name, String value) {
        text.append(String.format("%-36s %s%n", name, value));
    }
}
