package com.flowbridge.testing;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The outcomes found on a results topic, counted the ways the contract is stated: per commandId and per command record. */
public final class CommandOutcomes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> values;
    private final List<ConsumerRecord<String, String>> records;

    public CommandOutcomes(List<ConsumerRecord<String, String>> records) {
        this.records = records;
        this.values = records.stream().map(CommandOutcomes::value).toList();
    }

    /** Outcomes per commandId, not counting {@code duplicate} answers to a commandId sent again. */
    public Map<String, Long> perCommandId() {
        return values.stream().filter(v -> !v.path("status").asText().equals("duplicate"))
            .collect(Collectors.groupingBy(v -> v.path("commandId").asText(), TreeMap::new, Collectors.counting()));
    }

    /** Outcomes per command record ({@code topic/partition/offset} of the record they answer). */
    public Map<String, Long> perCommandRecord() {
        return records.stream().collect(Collectors.groupingBy(r -> TopicProbe.header(r, "command-source"), TreeMap::new,
            Collectors.counting()));
    }

    /** The status of each commandId's (first) outcome, duplicates left out. */
    public Map<String, String> statusByCommandId() {
        return values.stream().filter(v -> !v.path("status").asText().equals("duplicate"))
            .collect(Collectors.toMap(v -> v.path("commandId").asText(), v -> v.path("status").asText(), (a, b) -> a, TreeMap::new));
    }

    /** E.g. "1000 commands: 1000 with exactly one outcome, 0 with none, 0 with more than one (registered 1000)". */
    public String histogram(Collection<String> commandIds) {
        Map<String, Long> counts = perCommandId();
        Map<Long, Long> byCount = commandIds.stream()
            .collect(Collectors.groupingBy(id -> counts.getOrDefault(id, 0L), Collectors.counting()));
        Map<String, Long> statuses = values.stream()
            .collect(Collectors.groupingBy(v -> v.path("status").asText(), TreeMap::new, Collectors.counting()));
        return String.format("%d commands: %d with exactly one outcome, %d with none, %d with more than one (%s)", commandIds.size(),
            byCount.getOrDefault(1L, 0L), byCount.getOrDefault(0L, 0L),
            byCount.entrySet().stream().filter(e -> e.getKey() > 1).mapToLong(Map.Entry::getValue).sum(),
            statuses.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    }

    private static JsonNode value(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + record.value(), e);
        }
    }
}
