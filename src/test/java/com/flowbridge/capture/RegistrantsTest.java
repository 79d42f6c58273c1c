package com.flowbridge.capture;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RegistrantsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void an_email_is_trimmed_and_lower_cased_and_a_missing_or_blank_one_is_no_identity() {
        assertThat(Registrants.normaliseEmail(TextNode.valueOf("  Ada.Lovelace@Example.COM\t"))).isEqualTo("ada.lovelace@example.com");
        assertThat(Registrants.normaliseEmail(TextNode.valueOf("ÉMILE@EXAMPLE.FR"))).isEqualTo("émile@example.fr");
        assertThat(Registrants.normaliseEmail(TextNode.valueOf("   "))).isNull();
        assertThat(Registrants.normaliseEmail(null)).isNull();
        assertThat(Registrants.normaliseEmail(JSON.getNodeFactory().numberNode(42))).isNull();
    }

    @Test
    void every_field_flow_sent_is_kept_and_the_session_token_added() {
        ScopeRead read = read("s-1", List.of(
            json("{\"email\":\"Ada@Example.com\",\"firstName\":\"Ada\",\"utm\":{\"source\":\"x\"},\"answers\":[1,2]}")));

        assertThat(read.items()).containsOnlyKeys("ada@example.com");
        assertThat(read.items().get("ada@example.com")).isEqualTo(
            json("{\"email\":\"Ada@Example.com\",\"firstName\":\"Ada\",\"utm\":{\"source\":\"x\"},\"answers\":[1,2],\"eventSessionToken\":\"s-1\"}"));
    }

    @Test
    void the_same_email_twice_is_one_registrant_the_later_registration_whatever_the_order() {
        ObjectNode earlier = json("{\"email\":\"ada@example.com\",\"firstName\":\"First\",\"registrationDate\":\"2026-11-01T10:00:00Z\"}");
        ObjectNode later = json("{\"email\":\" ADA@example.com \",\"firstName\":\"Second\",\"registrationDate\":\"2026-11-02T10:00:00Z\"}");

        for (List<ObjectNode> order : List.of(List.of(earlier, later), List.of(later, earlier))) {
            ScopeRead read = read("s-1", copies(order));
            assertThat(read.items()).hasSize(1);
            assertThat(read.items().get("ada@example.com").path("firstName").asText()).isEqualTo("Second");
            assertThat(read.duplicates()).isEqualTo(1);
        }
    }

    @Test
    void without_dates_the_winner_is_the_same_whatever_the_order() {
        List<ObjectNode> listed = List.of(json("{\"email\":\"a@x.io\",\"firstName\":\"B\"}"), json("{\"email\":\"A@x.io\",\"firstName\":\"A\"}"),
            json("{\"email\":\"a@X.io \",\"firstName\":\"C\"}"));
        List<ObjectNode> reversed = new ArrayList<>(listed);
        Collections.reverse(reversed);

        ObjectNode winner = read("s", copies(listed)).items().get("a@x.io");
        assertThat(read("s", copies(reversed)).items().get("a@x.io")).isEqualTo(winner);
        assertThat(read("s", copies(listed)).duplicates()).isEqualTo(2);
    }

    @Test
    void registrants_without_an_email_are_left_out_and_counted() {
        ScopeRead read = read("s", List.of(json("{\"firstName\":\"Nobody\"}"), json("{\"email\":\"\"}"),
            json("{\"email\":\"ok@example.com\"}")));

        assertThat(read.items()).containsOnlyKeys("ok@example.com");
        assertThat(read.withoutId()).isEqualTo(2);
    }

    private static ScopeRead read(String sessionToken, List<ObjectNode> listed) {
        return ScopeRead.pending(sessionToken, false).read(new Registrants("7d"), listed, "fingerprint");
    }

    private static List<ObjectNode> copies(List<ObjectNode> nodes) {
        return nodes.stream().map(ObjectNode::deepCopy).toList();
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
