package com.flowbridge.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowAnswersTest {

    private final FlowAnswers answers = new FlowAnswers(new ObjectMapper());

    @Test
    void a_bare_list_and_a_wrapped_list_read_the_same() {
        assertThat(answers.items("[{\"token\":\"a\"}]")).extracting(item -> item.get("token").asText()).containsExactly("a");
        assertThat(answers.items("{\"code\":200,\"data\":[{\"token\":\"a\"}]}")).extracting(item -> item.get("token").asText())
            .containsExactly("a");
    }

    @Test
    void a_bare_object_and_a_wrapped_object_read_the_same() {
        assertThat(answers.object("{\"token\":\"a\"}").get("token").asText()).isEqualTo("a");
        assertThat(answers.object("{\"code\":200,\"data\":{\"token\":\"a\"}}").get("token").asText()).isEqualTo("a");
    }

    @Test
    void garbage_is_refused_rather_than_read_as_an_empty_list() {
        assertThatThrownBy(() -> answers.items("<html>Service Unavailable</html>"))
            .isInstanceOf(FlowAnswerException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> answers.items("")).isInstanceOf(FlowAnswerException.class);
        assertThatThrownBy(() -> answers.items("{\"code\":200,\"data\":null}")).isInstanceOf(FlowAnswerException.class);
        assertThatThrownBy(() -> answers.items("{\"token\":\"a\"}")).isInstanceOf(FlowAnswerException.class)
            .hasMessageContaining("where a list was expected");
        assertThatThrownBy(() -> answers.items("[1,2]")).isInstanceOf(FlowAnswerException.class);
    }

    @Test
    void an_error_code_inside_a_wrapped_answer_is_an_error() {
        assertThatThrownBy(() -> answers.items("{\"code\":500,\"data\":[]}"))
            .isInstanceOf(FlowAnswerException.class).hasMessageContaining("code 500");
    }
}
