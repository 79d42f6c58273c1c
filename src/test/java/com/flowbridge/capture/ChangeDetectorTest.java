package com.flowbridge.capture;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeDetectorTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final CanonicalJson canonical = new CanonicalJson(mapper);
    private final ChangeDetector detector = new ChangeDetector(canonical);

    @Test
    void what_was_never_published_is_a_read_during_the_first_look_and_a_creation_afterwards() {
        Map<String, ObjectNode> now = Map.of("s1", session("s1", "Launch"));

        assertThat(detector.diff("session", "", Map.of(), now, true, id -> false)).extracting(Change::op).containsExactly(Op.READ);
        assertThat(detector.diff("session", "", Map.of(), now, false, id -> false)).extracting(Change::op).containsExactly(Op.CREATE);
    }

    @Test
    void the_same_content_in_another_field_order_is_no_change() throws Exception {
        Map<String, byte[]> published = Map.of("s1", canonical.bytes(mapper.readTree("{\"token\":\"s1\",\"title\":\"Launch\"}")));
        ObjectNode reordered = (ObjectNode) mapper.readTree("{\"title\":\"Launch\",\"token\":\"s1\"}");

        assertThat(detector.diff("session", "", published, Map.of("s1", reordered), false, id -> false)).isEmpty();
    }

    @Test
    void a_changed_document_is_one_update_with_both_sides() {
        Map<String, byte[]> published = Map.of("s1", canonical.bytes(session("s1", "Launch")));

        List<Change> changes = detector.diff("session", "", published, Map.of("s1", session("s1", "Launch v2")), false, id -> false);

        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.op()).isEqualTo(Op.UPDATE);
            assertThat(change.before().get("title").asText()).isEqualTo("Launch");
            assertThat(change.after().get("title").asText()).isEqualTo("Launch v2");
            assertThat(change.type()).isEqualTo("flow.session.updated");
        });
    }

    @Test
    void what_is_gone_is_a_deletion_carrying_what_was_last_published() {
        Map<String, byte[]> published = new LinkedHashMap<>();
        published.put("s1", canonical.bytes(session("s1", "Launch")));
        published.put("s2", canonical.bytes(session("s2", "Webinar")));

        List<Change> changes = detector.diff("session", "", published, Map.of("s1", session("s1", "Launch")), false, id -> false);

        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.op()).isEqualTo(Op.DELETE);
            assertThat(change.key()).isEqualTo("s2");
            assertThat(change.before().get("title").asText()).isEqualTo("Webinar");
            assertThat(change.after()).isNull();
        });
    }

    @Test
    void a_signal_snapshot_reads_unchanged_documents_again_and_still_says_what_changed_or_is_gone() {
        Map<String, byte[]> published = new LinkedHashMap<>();
        published.put("s1", canonical.bytes(session("s1", "Launch")));
        published.put("s2", canonical.bytes(session("s2", "Webinar")));
        published.put("s3", canonical.bytes(session("s3", "Demo")));
        Map<String, ObjectNode> current = new LinkedHashMap<>();
        current.put("s1", session("s1", "Launch"));
        current.put("s2", session("s2", "Webinar v2"));
        current.put("s4", session("s4", "New"));

        List<Change> changes = detector.diff("session", "", published, current, false, id -> true);

        assertThat(changes).extracting(change -> change.key() + " " + change.op().code())
            .containsExactlyInAnyOrder("s1 r", "s2 u", "s4 c", "s3 d");
        assertThat(changes.get(0).before()).as("a read carries the document as it is, as Debezium's snapshot reads do").isNull();
        assertThat(detector.diff("session", "", published, current, false, "s2"::equals))
            .as("only what the snapshot covers is read again").extracting(change -> change.key() + " " + change.op().code())
            .containsExactlyInAnyOrder("s2 u", "s4 c", "s3 d");
    }

    @Test
    void scoped_keys_join_scope_and_id() {
        Change change = detector.compare("registrant", "s1", "ann@example.com", null, session("x", "y"), false, false);

        assertThat(change.key()).isEqualTo("s1:ann@example.com");
    }

    private ObjectNode session(String token, String title) {
        return mapper.createObjectNode().put("token", token).put("title", title);
    }
}
