package com.flowbridge.redrive;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void on_a_terminal_the_bar_is_redrawn_in_place_and_ends_its_line() {
        Progress progress = new Progress(new PrintStream(out, true, StandardCharsets.UTF_8), true, 4, "redriven");
        progress.update(1, 0);
        progress.finish(4, 3);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
            "\r[#######.......................] 1/4 read, 0 redriven"
                + "\r[##############################] 4/4 read, 3 redriven" + System.lineSeparator());
    }

    @Test
    void elsewhere_nothing_is_drawn() {
        Progress progress = new Progress(new PrintStream(out, true, StandardCharsets.UTF_8), false, 4, "redriven");
        progress.update(1, 0);
        progress.finish(4, 3);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void an_empty_topic_is_a_full_bar() {
        Progress progress = new Progress(new PrintStream(out, true, StandardCharsets.UTF_8), true, 0, "redriven");
        progress.finish(0, 0);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("\r[##############################] 0/0 read");
    }
}
