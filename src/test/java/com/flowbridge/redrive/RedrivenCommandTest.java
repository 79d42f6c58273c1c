package com.flowbridge.redrive;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedrivenCommandTest {

    private final DeadLetter letter = SelectionTest.letter(Map.of());

    @Test
    void the_original_key_and_bytes_go_back_to_the_command_topic_and_partition_they_came_from() {
        ProducerRecord<byte[], byte[]> record = RedrivenCommand.of(letter);
        assertThat(record.topic()).isEqualTo("flow.registration.commands");
        assertThat(record.partition()).as("dlq-source-partition").isEqualTo(2);
        assertThat(record.key()).isEqualTo(letter.key());
        assertThat(record.value()).isEqualTo(letter.value());
        assertThat(RedrivenCommand.of(SelectionTest.letter(Map.of("dlq-source-partition", "?"))).partition())
            .as("partitioned by its key when the dead letter does not say").isNull();
    }

    @Test
    void the_copy_runs_under_a_new_commandid_and_names_its_origin() {
        ProducerRecord<byte[], byte[]> record = RedrivenCommand.of(letter);
        String commandId = header(record, "command-id");
        assertThat(commandId).isNotEqualTo("crm-42").matches("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(header(record, "redrive-of")).isEqualTo("crm-42");
        assertThat(header(record, "redrive-source")).isEqualTo("flow.registration.dlq/2/17");
    }

    @Test
    void the_same_dead_letter_always_gets_the_same_commandid_and_another_dead_letter_another() {
        assertThat(RedrivenCommand.commandId(letter)).isEqualTo(RedrivenCommand.commandId(SelectionTest.letter(Map.of())));
        DeadLetter sameCommandLaterOffset = new DeadLetter(letter.topic(), letter.partition(), letter.offset() + 1,
            letter.timestamp(), letter.key(), letter.value(), letter.headers());
        assertThat(RedrivenCommand.commandId(sameCommandLaterOffset)).isNotEqualTo(RedrivenCommand.commandId(letter));
        assertThat(RedrivenCommand.commandId(SelectionTest.letter(Map.of("command-id", "crm-43"))))
            .isNotEqualTo(RedrivenCommand.commandId(letter));
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
