package com.flowbridge.command;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a command's bytes strictly, and says what is wrong when they are not a command: too many bytes (checked
 * before anything reads them), not UTF-8 (overlong forms, encoded surrogates and code points beyond U+10FFFF too,
 * which Jackson's own decoding lets through), not JSON (duplicate keys and anything after the value included),
 * nested deeper than any command is, or not a JSON object. Commands from Kafka and from the webhook are read by the
 * same parser, so a CRM gets the same answer either way, naming the problem.
 */
public final class CommandParser {

    /** A command is at most 3 levels deep (an event's operators); anything much deeper is not one. */
    static final int MAX_DEPTH = 32;
    /** Problems quote at most this much, so an answer never grows with the input. */
    private static final int MAX_PROBLEM = 300;
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final ObjectMapper mapper;
    private final JsonFactory strict;
    private final int maxBytes;

    /** The command, or why the bytes are not one (field {@code body}). */
    public record Parsed(ObjectNode command, FieldError error) {
    }

    /** @param maxBytes the largest command accepted ({@code commands.max-bytes}) */
    public CommandParser(ObjectMapper mapper, int maxBytes) {
        this.mapper = mapper;
        this.maxBytes = maxBytes;
        this.strict = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    }

    public Parsed parse(byte[] value) {
        if (value == null || value.length == 0) {
            return refused("is empty: a command is a JSON object");
        }
        if (value.length > maxBytes) {
            return refused("is " + value.length + " bytes: a command may be at most " + maxBytes + " bytes");
        }
        CharBuffer text = CharBuffer.allocate(value.length);
        ByteBuffer bytes = ByteBuffer.wrap(value);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
        CoderResult decoded = utf8.decode(bytes, text, true);
        if (decoded.isError()) {
            return refused("is not valid UTF-8 (at byte " + bytes.position() + ")");
        }
        utf8.flush(text);
        text.flip();
        if (text.hasRemaining() && text.get(0) == BYTE_ORDER_MARK) {
            text.position(1); // allowed, and ignored, by RFC 8259
        }
        try (JsonParser parser = strict.createParser(text.toString())) {
            JsonNode node = mapper.readTree(parser);
            if (node == null || node.isMissingNode()) {
                return refused("is empty: a command is a JSON object");
            }
            if (parser.nextToken() != null) {
                return refused("is not valid JSON: more follows the first value" + at(parser.currentLocation()));
            }
            if (!(node instanceof ObjectNode command)) {
                return refused("must be a JSON object, not " + node.getNodeType().name().toLowerCase());
            }
            return new Parsed(command, null);
        } catch (JsonProcessingException notJson) {
            return refused("is not valid JSON: " + problem(notJson));
        } catch (IOException e) {
            return refused("could not be read: " + e.getClass().getSimpleName());
        }
    }

    private static Parsed refused(String message) {
        return new Parsed(null, new FieldError("body", message));
    }

    /** Jackson's own words, less its setting names, with where it stopped; bounded, and without control characters. */
    private static String problem(JsonProcessingException notJson) {
        String message = String.valueOf(notJson.getOriginalMessage())
            .replaceAll("\\[Source: [^;]*; line: (\\d+), column: (\\d+)]", "line $1, column $2")
            .replaceAll(", from `[^`]*`", "")
            .replaceAll(": enable `[^`]*` to allow", "")
            .replaceAll("\\p{Cntrl}", "?");
        if (message.length() > MAX_PROBLEM) {
            message = message.substring(0, MAX_PROBLEM) + "...";
        }
        return message + at(notJson.getLocation());
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
            : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
