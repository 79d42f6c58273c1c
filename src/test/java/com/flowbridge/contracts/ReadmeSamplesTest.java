package com.flowbridge.contracts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.flowbridge.testing.TopicContracts;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's sample records match the contracts: each JSON sample is marked with the topic it is a record of
 * ({@code <!-- contract: kafka flow.events -->} on the line before it), and its value must match one of that topic's
 * messages in contracts/asyncapi.yaml; a kcat sample ({@code ... kcat}) shows key, headers and value, all checked. A JSON
 * sample without a marker fails, so a new sample cannot escape.
 */
class ReadmeSamplesTest {

    private static final Pattern MARKER = Pattern.compile("<!-- contract: kafka (\\S+)( kcat)? -->");

    private record Sample(int line, String topic, boolean kcat, String text) {
    }

    @Test
    void every_sample_record_in_the_readme_matches_its_topics_contract() throws IOException {
        List<Sample> samples = samples(Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8));
        TopicContracts contracts = TopicContracts.get();
        SoftAssertions softly = new SoftAssertions();
        for (Sample sample : samples) {
            TopicContracts.Channel channel = contracts.require(sample.topic());
            List<String> mismatches;
            if (sample.kcat()) {
                String[] lines = sample.text().split("\n", 2);
                String[] keyAndHeaders = lines[0].split(" ", 2);
                RecordHeaders headers = new RecordHeaders();
                for (String header : keyAndHeaders[1].split(",")) {
                    String[] nameAndValue = header.split("=", 2);
                    headers.add(nameAndValue[0], nameAndValue[1].getBytes(StandardCharsets.UTF_8));
                }
                mismatches = contracts.mismatches(channel, keyAndHeaders[0], lines[1].getBytes(StandardCharsets.UTF_8), headers);
            } else {
                mismatches = contracts.valueMismatches(channel, sample.text().getBytes(StandardCharsets.UTF_8));
            }
            softly.assertThat(mismatches).as("README line %d, a %s record:\n%s", sample.line(), sample.topic(),
                mismatches == null ? "" : String.join("\n", mismatches)).isNull();
        }
        softly.assertAll();
        assertThat(samples).as("README samples").hasSizeGreaterThanOrEqualTo(15);
        assertThat(samples.stream().map(Sample::topic).distinct()).as("topics with a sample").hasSizeGreaterThanOrEqualTo(12);
    }

    /** The marked samples; fails on a JSON block without a marker. */
    private static List<Sample> samples(List<String> readme) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            String line = readme.get(i);
            Matcher marker = MARKER.matcher(line.trim());
            boolean json = line.startsWith("```json");
            if (!marker.matches() && !json) {
                continue;
            }
            if (json) {
                throw new AssertionError("README line " + (i + 1) + ": a JSON sample without a <!-- contract: kafka TOPIC --> marker "
                    + "on the line before it");
            }
            int fence = i + 1;
            assertThat(readme.get(fence)).as("README line %d: the marker is followed by a code block", fence + 1).startsWith("```");
            StringBuilder text = new StringBuilder();
            int end = fence + 1;
            for (; !readme.get(end).startsWith("```"); end++) {
                text.append(readme.get(end)).append('\n');
            }
            samples.add(new Sample(fence + 2, marker.group(1), marker.group(2) != null, text.toString().strip()));
            i = end;
        }
        return samples;
    }
}
