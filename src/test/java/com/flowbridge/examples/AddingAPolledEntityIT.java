package com.flowbridge.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flowbridge.testing.SandboxTest;
import com.flowbridge.testing.TestKafka;
import com.flowbridge.testing.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static com.flowbridge.testing.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Adding a polled entity", as written there: its route file and its bean (this package), run with the
 * shipped routes against the sandbox and a real broker.
 */
class AddingAPolledEntityIT extends SandboxTest {

    private static final String ROUTE_FILE = "src/test/resources/examples/flow-surveys-to-kafka.camel.yaml";
    private static final String BEAN_FILE = "src/test/java/com/flowbridge/examples/Surveys.java";

    @Test
    void the_readme_shows_the_example_exactly_as_it_is_tested() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains(Files.readString(Path.of(ROUTE_FILE)));
        // The bean's body (from the class declaration on), as the README shows it.
        String bean = Files.readString(Path.of(BEAN_FILE));
        assertThat(readme).contains(bean.substring(bean.indexOf("public final class Surveys")));
    }

    @Test
    void surveys_are_captured_like_any_entity_read_then_created_updated_and_deleted() {
        String surveysTopic = topics.get("kafka.topic.events").replace("flow.events", "flow.surveys");
        TopicProbe surveys = track(TopicProbe.outsideTheContracts(TestKafka.bootstrapServers(), surveysTopic));
        startBridge(Map.of(
            "camel.main.routes-include-pattern", "file:routes/*.yaml,file:" + ROUTE_FILE,
            "kafka.topic.surveys", surveysTopic,
            "flow.surveys.poll.interval", "1s"));

        List<ConsumerRecord<String, String>> first = surveys.awaitCount(3, WAIT);
        assertThat(first).extracting(AddingAPolledEntityIT::describe).containsExactlyInAnyOrder(
            "past-onboarding:svy-onb-feedback r", "past-onboarding:svy-onb-nps r", "past-security:svy-sec-quiz r");
        assertThat(first).allSatisfy(record -> {
            assertThat(header(record, "ce_type")).isEqualTo("flow.survey.read");
            assertThat(value(record).path("after").path("eventSessionToken").asText()).isEqualTo(record.key().split(":")[0]);
        });

        flow().setSurveys("live-townhall", (ArrayNode) json("{\"s\":[{\"id\":\"svy-live-poll\",\"title\":\"Quick poll\",\"questions\":[]}]}").get("s"));
        ArrayNode security = flow().surveys("past-security").deepCopy();
        ((ObjectNode) security.get(0)).put("title", "Security quiz, revised");
        flow().setSurveys("past-security", security);
        ArrayNode onboarding = flow().surveys("past-onboarding").deepCopy();
        onboarding.remove(1);
        flow().setSurveys("past-onboarding", onboarding);

        List<ConsumerRecord<String, String>> changes = surveys.awaitCount(7, WAIT).subList(3, 7);
        assertThat(changes).extracting(AddingAPolledEntityIT::describe).containsExactlyInAnyOrder(
            "live-townhall:svy-live-poll c", "past-security:svy-sec-quiz u", "past-onboarding:svy-onb-nps d",
            "past-onboarding:svy-onb-nps tombstone");
        assertThat(surveys.newRecordsWithin(Duration.ofSeconds(3))).as("quiet cycles publish nothing").isEmpty();
    }

    private static String describe(ConsumerRecord<String, String> record) {
        return record.key() + " " + (record.value() == null ? "tombstone" : value(record).path("op").asText());
    }
}
