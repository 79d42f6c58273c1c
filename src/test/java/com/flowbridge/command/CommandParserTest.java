package com.flowbridge.command;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class CommandParserTest {

    private final CommandParser parser = new CommandParser(new ObjectMapper(), 1024);

    @Test
    void a_json_object_is_a_command_and_a_leading_byte_order_mark_is_ignored() {
        assertThat(parser.parse(utf8("{\"email\":\"ada@example.com\"}")).command().path("email").asText()).isEqualTo("ada@example.com");
        assertThat(parser.parse(utf8("\uFEFF {\"a\":1} \n")).command().path("a").asInt()).isEqualTo(1);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "''                              | is empty",
        "' \n\t '                        | is empty",
        "'{\"a\":1,'                     | is not valid JSON: Unexpected end-of-input",
        "'['                             | is not valid JSON: Unexpected end-of-input: expected close marker for Array (start marker at line 1, column 1) (line 1, column 2)",
        "'{\"a\":1,\"a\":2}'             | is not valid JSON: Duplicate field 'a' (line 1, column",
        "'{\"a\":{\"b\":1,\"b\":1}}'     | is not valid JSON: Duplicate field 'b'",
        "'{\"a\":1} x'                   | is not valid JSON: Unrecognized token 'x'",
        "'{\"a\":1}{\"b\":2}'            | is not valid JSON: more follows the first value",
        "'{\"a\":NaN}'                   | is not valid JSON: Non-standard token 'NaN'",
        "'[1]'                           | must be a JSON object, not array",
        "'\"text\"'                      | must be a JSON object, not string",
        "'null'                          | must be a JSON object, not null",
    })
    void what_is_not_a_json_object_is_named(String body, String problem) {
        CommandParser.Parsed parsed = parser.parse(utf8(body));

        assertThat(parsed.command()).isNull();
        assertThat(parsed.error().field()).isEqualTo("body");
        assertThat(parsed.error().message()).startsWith(problem);
    }

    @Test
    void nesting_deeper_than_any_command_is_refused_without_recursing() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        CommandParser roomy = new CommandParser(new ObjectMapper(), 1024 * 1024);

        assertThat(roomy.parse(utf8(deep)).error().message())
            .isEqualTo("is not valid JSON: Document nesting depth (33) exceeds the maximum allowed (32)");
        String allowed = "{\"a\":" + "[".repeat(30) + "]".repeat(30) + "}";
        assertThat(roomy.parse(utf8(allowed)).error()).isNull();
    }

    @Test
    void bytes_that_are_not_utf_8_are_refused_even_where_jackson_would_decode_them() {
        byte[] overlongSlash = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        byte[] encodedSurrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        byte[] beyondUnicode = {'{', '"', 'a', '"', ':', '"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"', '}'};
        byte[] latin1 = {'{', '"', 'a', '"', ':', '"', 'Z', 'o', (byte) 0xEB, '"', '}'};

        for (byte[] body : new byte[][] {overlongSlash, encodedSurrogate, beyondUnicode}) {
            assertThat(parser.parse(body).error().message()).isEqualTo("is not valid UTF-8 (at byte 6)");
        }
        assertThat(parser.parse(latin1).error().message()).isEqualTo("is not valid UTF-8 (at byte 8)");
        assertThat(parser.parse("{\"a\":1}".getBytes(StandardCharsets.UTF_16LE)).error().message())
            .startsWith("is not valid JSON: Illegal character ((CTRL-CHAR, code 0))");
    }

    @Test
    void a_command_over_the_limit_is_refused_unread_and_problems_never_grow_with_the_input() {
        assertThat(parser.parse(new byte[1025]).error().message()).isEqualTo("is 1025 bytes: a command may be at most 1024 bytes");

        String longName = "{\"" + "n".repeat(900) + "\":1,\"" + "n".repeat(900) + "\":2}";
        String problem = new CommandParser(new ObjectMapper(), 4096).parse(utf8(longName)).error().message();
        assertThat(problem).startsWith("is not valid JSON: Duplicate field 'nnn").hasSizeLessThan(400);
        assertThat(parser.parse(utf8("{\"a\\n\":1,\"a\\n\":1}")).error().message()).doesNotContain("\n");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
