package com.flowbridge.capture;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LastAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANSWER = "[{\"email\":\"a@x.io\"},{\"email\":\"b@x.io\"}]";

    private final LastAnswers last = new LastAnswers();

    @Test
    void the_same_answer_with_the_same_remembered_registrants_needs_no_comparing() {
        Map<String, byte[]> remembered = remembered("a@x.io", "b@x.io");
        last.remember(read("s"), remembered);

        LastAnswers.Answer unchanged = last.unchanged("s", LastAnswers.fingerprint(ANSWER), remembered("a@x.io", "b@x.io"));

        assertThat(unchanged).isNotNull();
        assertThat(unchanged.items()).isEqualTo(2);
        assertThat(last.unchanged("other-session", LastAnswers.fingerprint(ANSWER), remembered)).isNull();
    }

    @Test
    void a_different_answer_is_compared() {
        last.remember(read("s"), remembered("a@x.io", "b@x.io"));

        assertThat(last.unchanged("s", LastAnswers.fingerprint(ANSWER.replace("b@x.io", "B@x.io")), remembered("a@x.io", "b@x.io"))).isNull();
    }

    @Test
    void remembered_registrants_that_differ_from_what_the_answer_led_to_are_compared() {
        last.remember(read("s"), remembered("a@x.io", "b@x.io"));

        // As after a failed publish, read back from Kafka: one registrant missing, or holding something else.
        assertThat(last.unchanged("s", LastAnswers.fingerprint(ANSWER), remembered("a@x.io"))).isNull();
        Map<String, byte[]> other = remembered("a@x.io", "b@x.io");
        other.put("b@x.io", "{\"email\":\"b@x.io\",\"firstName\":\"B\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(last.unchanged("s", LastAnswers.fingerprint(ANSWER), other)).isNull();
        assertThat(last.unchanged("s", LastAnswers.fingerprint(ANSWER), remembered("a@x.io", "c@x.io"))).isNull();
    }

    @Test
    void the_checksum_does_not_depend_on_the_order_remembered_registrants_are_held_in() {
        assertThat(LastAnswers.checksum(remembered("a@x.io", "b@x.io", "c@x.io")))
            .isEqualTo(LastAnswers.checksum(remembered("c@x.io", "a@x.io", "b@x.io")))
            .isNotEqualTo(LastAnswers.checksum(remembered("a@x.io", "b@x.io")));
    }

    @Test
    void sessions_no_longer_polled_are_forgotten() {
        last.remember(read("s"), remembered("a@x.io"));
        last.remember(read("t"), remembered("a@x.io"));

        last.retainOnly(List.of("t"));
        last.forget("t");

        assertThat(last.last("s")).isNull();
        assertThat(last.last("t")).isNull();
    }

    private static ScopeRead read(String sessionToken) {
        List<ObjectNode> listed = List.of(JSON.createObjectNode().put("email", "a@x.io"), JSON.createObjectNode().put("email", "b@x.io"));
        return ScopeRead.pending(sessionToken, false).read(new Registrants("7d"), listed, LastAnswers.fingerprint(ANSWER));
    }

    private static Map<String, byte[]> remembered(String... emails) {
        Map<String, byte[]> remembered = new LinkedHashMap<>();
        for (String email : emails) {
            remembered.put(email, ("{\"email\":\"" + email + "\",\"eventSessionToken\":\"s\"}").getBytes(StandardCharsets.UTF_8));
        }
        return remembered;
    }
}
