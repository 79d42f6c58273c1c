package com.flowbridge.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.networknt.schema.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code contracts/asyncapi.yaml} as a checker of real records: every channel (topic), its messages, and for each
 * message the schemas of its key, headers and value. A record matches its topic's contract when it matches one of the
 * channel's messages entirely; otherwise the check fails naming the record and, for each message, where and why it
 * does not match.
 *
 * <p>Tests run on the shipped topic names with a unique prefix ({@code it-1a2b3c4d.flow.events}): the prefix is not
 * part of the name the contract knows.
 */
public final class TopicContracts {

    private static final Pattern TEST_PREFIX = Pattern.compile("^it-[0-9a-f]{8}\\.");
    private static final int SHOWN_VALUE = 300;
    private static TopicContracts loaded;

    /** How many records were checked, per channel: printed when the test JVM ends, so a run shows what it checked. */
    private static final Map<String, java.util.concurrent.atomic.LongAdder> CHECKED = new java.util.concurrent.ConcurrentSkipListMap<>();

    private final Map<String, Channel> byAddress;

    /**
     * One message of a channel; a schema is null when the document gives none (nothing to check).
     *
     * @param ceTypes the {@code ce_type} values its headers allow, as the document lists them (empty: none listed)
     * @param input   whether it is tagged {@code input}: written by others, not by flow-bridge
     */
    public record Message(String name, Schema key, Schema headers, Schema payload, Set<String> ceTypes, boolean input) {
    }

    /** One channel of the document: its topic, its tags (product, input, internal) and its messages. */
    public record Channel(String id, String address, Set<String> tags, List<Message> messages) {
        public boolean isProduct() {
            return tags.contains("product");
        }
    }

    private TopicContracts(Map<String, Channel> byAddress) {
        this.byAddress = byAddress;
    }

    public static synchronized TopicContracts get() {
        if (loaded == null) {
            loaded = load();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("[contracts] records checked against "
                + "contracts/asyncapi.yaml in this test run, per channel: " + CHECKED), "contracts-summary"));
        }
        return loaded;
    }

    public List<Channel> channels() {
        return List.copyOf(byAddress.values());
    }

    /** The channel of {@code topic} (a shipped name, or a test's prefixed one), if the document has it. */
    public Optional<Channel> channel(String topic) {
        return Optional.ofNullable(byAddress.get(TEST_PREFIX.matcher(topic).replaceFirst("")));
    }

    /** The channel of {@code topic}; fails naming the topic when the document has none. */
    public Channel require(String topic) {
        return channel(topic).orElseThrow(() -> new AssertionError("Topic " + topic + " is not a channel of "
            + "contracts/asyncapi.yaml: every topic flow-bridge reads or writes is described there (a test reading a topic of "
            + "its own making says so: TopicProbe.outsideTheContracts)"));
    }

    /** Fails unless the record matches one of the messages of {@code channel}. */
    public void check(Channel channel, ConsumerRecord<String, ?> record) {
        Object value = record.value();
        byte[] bytes = value == null ? null : value instanceof byte[] raw ? raw : value.toString().getBytes(StandardCharsets.UTF_8);
        check(channel, record.topic() + "/" + record.partition() + "@" + record.offset(), record.key(), bytes, record.headers());
    }

    /** Fails unless a record with this key, value and headers matches one of the messages of {@code channel}. */
    public void check(Channel channel, String where, String key, byte[] value, Headers headers) {
        List<String> mismatches = mismatches(channel, key, value, headers);
        CHECKED.computeIfAbsent(channel.address(), address -> new java.util.concurrent.atomic.LongAdder()).increment();
        if (mismatches != null) {
            throw new AssertionError("The record " + where + " does not match its contract, channel " + channel.id() + " ("
                + channel.address() + ") of contracts/asyncapi.yaml:\n" + String.join("\n", mismatches)
                + "\n  key: " + key + "\n  headers: " + headerNode(headers, new ArrayList<>()) + "\n  value: " + shown(value));
        }
    }

    /** Null when the record matches a message of the channel; otherwise, for each message, why it does not. */
    public List<String> mismatches(Channel channel, String key, byte[] value, Headers headers) {
        List<String> duplicates = new ArrayList<>();
        JsonNode headerNode = headerNode(headers, duplicates);
        JsonNode keyNode = key == null ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.stringNode(key);
        JsonNode valueNode = valueNode(value);
        List<String> mismatches = new ArrayList<>();
        for (Message message : channel.messages()) {
            List<String> violations = new ArrayList<>(duplicates);
            add(violations, "key", message.key(), keyNode);
            add(violations, "headers", message.headers(), headerNode);
            add(violations, "value", message.payload(), valueNode);
            if (violations.isEmpty()) {
                return null;
            }
            mismatches.add("  as " + message.name() + ":\n    " + String.join("\n    ", violations));
        }
        return mismatches;
    }

    /** Null when the value alone matches a message of the channel (a sample that shows no key or headers); else why not. */
    public List<String> valueMismatches(Channel channel, byte[] value) {
        JsonNode valueNode = valueNode(value);
        List<String> mismatches = new ArrayList<>();
        for (Message message : channel.messages()) {
            List<String> violations = new ArrayList<>();
            add(violations, "value", message.payload(), valueNode);
            if (violations.isEmpty()) {
                return null;
            }
            mismatches.add("  as " + message.name() + ":\n    " + String.join("\n    ", violations));
        }
        return mismatches;
    }

    private static void add(List<String> violations, String part, Schema schema, JsonNode instance) {
        if (schema != null) {
            Contracts.violations(schema, instance).forEach(violation -> violations.add(part + " " + violation));
        }
    }

    /** The headers as one JSON object of UTF-8 strings (the CloudEvents binding's reading); a header twice is a violation. */
    private static ObjectNode headerNode(Headers headers, List<String> duplicates) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Header header : headers) {
            if (node.has(header.key())) {
                duplicates.add("headers: " + header.key() + " appears more than once");
            }
            node.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return node;
    }

    /** Null for a tombstone; the JSON value when the bytes are one; otherwise the bytes as text (a dead letter's may be anything). */
    private static JsonNode valueNode(byte[] value) {
        if (value == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        String text = new String(value, StandardCharsets.UTF_8);
        try {
            JsonNode parsed = Contracts.json(text);
            return parsed == null || parsed.isMissingNode() ? JsonNodeFactory.instance.stringNode(text) : parsed;
        } catch (JacksonException notJson) {
            return JsonNodeFactory.instance.stringNode(text);
        }
    }

    private static String shown(byte[] value) {
        if (value == null) {
            return "null (a tombstone)";
        }
        String text = new String(value, StandardCharsets.UTF_8);
        return text.length() > SHOWN_VALUE ? text.substring(0, SHOWN_VALUE) + "... (" + value.length + " bytes)" : text;
    }

    private static TopicContracts load() {
        JsonNode document = Contracts.document(Contracts.ASYNCAPI);
        Map<String, Channel> byAddress = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : document.path("channels").properties()) {
            JsonNode channel = entry.getValue();
            Set<String> tags = new LinkedHashSet<>();
            channel.path("tags").forEach(tag -> tags.add(Contracts.resolved(document, tag).path("name").asString()));
            List<Message> messages = new ArrayList<>();
            for (Map.Entry<String, JsonNode> reference : channel.path("messages").properties()) {
                messages.add(message(document, reference.getKey(), reference.getValue()));
            }
            String address = channel.path("address").asString();
            if (byAddress.put(address, new Channel(entry.getKey(), address, Set.copyOf(tags), List.copyOf(messages))) != null) {
                throw new AssertionError("contracts/asyncapi.yaml has two channels for " + address);
            }
        }
        return new TopicContracts(byAddress);
    }

    private static Message message(JsonNode document, String name, JsonNode reference) {
        String pointer = reference.has("$ref") ? reference.get("$ref").asString().substring(1)
            : "/channels/" + Contracts.pointerToken(name);
        JsonNode message = document.at(pointer);
        if (message.isMissingNode()) {
            throw new AssertionError("contracts/asyncapi.yaml: message " + name + " points at " + pointer + ", which is not there");
        }
        boolean input = false;
        for (JsonNode tag : message.path("tags")) {
            input |= Contracts.resolved(document, tag).path("name").asString().equals("input");
        }
        Set<String> ceTypes = new LinkedHashSet<>();
        collectCeTypes(document, message.path("headers"), ceTypes);
        return new Message(name, schema(message, pointer, "/bindings/kafka/key"), schema(message, pointer, "/headers"),
            schema(message, pointer, "/payload"), Set.copyOf(ceTypes), input);
    }

    /** The ce_type values a headers schema pins (enum or const), following allOf and references within the document. */
    private static void collectCeTypes(JsonNode document, JsonNode schema, Set<String> ceTypes) {
        JsonNode resolved = Contracts.resolved(document, schema);
        if (resolved == null || resolved.isMissingNode()) {
            return;
        }
        JsonNode ceType = resolved.path("properties").path("ce_type");
        ceType.path("enum").forEach(value -> ceTypes.add(value.asString()));
        if (ceType.has("const")) {
            ceTypes.add(ceType.get("const").asString());
        }
        resolved.path("allOf").forEach(part -> collectCeTypes(document, part, ceTypes));
    }

    private static Schema schema(JsonNode message, String messagePointer, String part) {
        return message.at(part).isMissingNode() ? null : Contracts.schema(Contracts.ASYNCAPI, messagePointer + part);
    }
}
