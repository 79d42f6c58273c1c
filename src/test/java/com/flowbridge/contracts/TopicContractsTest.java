package com.flowbridge.contracts;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.flowbridge.testing.TopicContracts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The record checker every integration test reads through: it passes what the contract describes and fails the rest, saying where and why. */
class TopicContractsTest {

    private static final String LIFECYCLE = "{\"sessionToken\":\"live-townhall\",\"from\":2,\"to\":3,\"state\":\"ended\",\"ts_ms\":1795817380959}";
    private static final Map<String, String> LIFECYCLE_HEADERS = Map.of("ce_specversion", "1.0", "ce_id", "5d4c3b2a-1908-3f7e-8d6c-5b4a39281706",
        "ce_type", "flow.session.ended", "ce_source", "https://prod.flowapp.com/api/v1/events/sessions", "ce_subject", "live-townhall",
        "ce_time", "2026-11-28T15:29:40.961Z", "content-type", "application/json");

    private final TopicContracts contracts = TopicContracts.get();

    @Test
    void a_record_as_the_contract_describes_it_passes_on_a_tests_prefixed_topic() {
        contracts.check(contracts.require("it-1a2b3c4d.flow.session-lifecycle"), record("it-1a2b3c4d.flow.session-lifecycle",
            "live-townhall", LIFECYCLE, LIFECYCLE_HEADERS));
    }

    @Test
    void a_value_that_breaks_its_schema_fails_naming_the_field_and_the_reason() {
        String wrong = LIFECYCLE.replace("\"state\":\"ended\"", "\"state\":\"over\"");

        assertThatThrownBy(() -> contracts.check(contracts.require("flow.session-lifecycle"),
            record("flow.session-lifecycle", "live-townhall", wrong, LIFECYCLE_HEADERS)))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("flow.session-lifecycle/0@7")
            .hasMessageContaining("value /state")
            .hasMessageContaining("enumeration");
    }

    @Test
    void a_missing_cloudevents_header_or_an_unlisted_ce_type_or_a_header_too_many_fails() {
        Map<String, String> noId = new java.util.HashMap<>(LIFECYCLE_HEADERS);
        noId.remove("ce_id");
        Map<String, String> otherType = new java.util.HashMap<>(LIFECYCLE_HEADERS);
        otherType.put("ce_type", "flow.session.exploded");
        Map<String, String> extra = new java.util.HashMap<>(LIFECYCLE_HEADERS);
        extra.put("camelhttpmethod", "GET");
        TopicContracts.Channel channel = contracts.require("flow.session-lifecycle");

        assertThat(contracts.mismatches(channel, "live-townhall", bytes(LIFECYCLE), headers(noId))).singleElement().asString()
            .contains("headers $: required property 'ce_id' not found");
        assertThat(contracts.mismatches(channel, "live-townhall", bytes(LIFECYCLE), headers(otherType))).singleElement().asString()
            .contains("headers /ce_type");
        assertThat(contracts.mismatches(channel, "live-townhall", bytes(LIFECYCLE), headers(extra))).singleElement().asString()
            .contains("camelhttpmethod");
    }

    @Test
    void a_tombstone_matches_only_the_tombstone_message_of_its_topic() {
        TopicContracts.Channel events = contracts.require("flow.events");
        Map<String, String> tombstone = Map.of("ce_specversion", "1.0", "ce_id", "7a0e5b0c", "ce_type", "flow.session.tombstone",
            "ce_source", "https://prod.flowapp.com/api/v1/events/sessions", "ce_subject", "past-security",
            "ce_time", "2026-11-28T14:25:02.118Z", "content-type", "application/json");
        Map<String, String> deletion = new java.util.HashMap<>(tombstone);
        deletion.put("ce_type", "flow.session.deleted");

        assertThat(contracts.mismatches(events, "past-security", null, headers(tombstone))).isNull();
        assertThat(contracts.mismatches(events, "past-security", null, headers(deletion)))
            .as("a null value typed as a deletion matches neither message").hasSize(2);
    }

    @Test
    void a_dead_letter_may_hold_any_bytes_but_its_headers_are_checked() {
        TopicContracts.Channel deadLetters = contracts.require("flow.registration.dlq");
        Map<String, String> headers = Map.ofEntries(Map.entry("dlq-reason", "malformed command: body is not UTF-8"),
            Map.entry("dlq-source-topic", "flow.registration.commands"), Map.entry("dlq-source-partition", "1"),
            Map.entry("dlq-source-offset", "4411"), Map.entry("dlq-time", "2026-11-27T21:22:09.061Z"),
            Map.entry("command-id", "crm-43"), Map.entry("command-status", "rejected"), Map.entry("ce_specversion", "1.0"),
            Map.entry("ce_id", "5f607182"), Map.entry("ce_type", "flow.registration.dead-letter"),
            Map.entry("ce_source", "https://prod.flowapp.com/api/v1/registrants"), Map.entry("ce_subject", "crm-43"),
            Map.entry("ce_time", "2026-11-27T21:22:09.061Z"), Map.entry("content-type", "application/octet-stream"));
        Map<String, String> withoutReason = new java.util.HashMap<>(headers);
        withoutReason.remove("dlq-reason");

        assertThat(contracts.mismatches(deadLetters, "k", new byte[] {(byte) 0xc3, 0x28, 0x7b}, headers(headers))).isNull();
        assertThat(contracts.mismatches(deadLetters, "k", new byte[] {(byte) 0xc3, 0x28}, headers(withoutReason))).singleElement()
            .asString().contains("dlq-reason");
    }

    @Test
    void a_topic_the_contract_does_not_know_fails_at_once() {
        assertThatThrownBy(() -> contracts.require("it-1a2b3c4d.flow.admins")).isInstanceOf(AssertionError.class)
            .hasMessageContaining("is not a channel of contracts/asyncapi.yaml");
    }

    private static ConsumerRecord<String, String> record(String topic, String key, String value, Map<String, String> headers) {
        return new ConsumerRecord<>(topic, 0, 7, 0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME, -1, -1, key, value,
            headers(headers), java.util.Optional.empty());
    }

    private static RecordHeaders headers(Map<String, String> headers) {
        RecordHeaders record = new RecordHeaders();
        headers.forEach((name, value) -> record.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
