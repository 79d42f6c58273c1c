package com.flowbridge.capture;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON written with its properties sorted, so that two documents with the same content have the same
 * bytes whatever order FLOW sent the fields in. What flow-bridge remembers of each entity is these bytes:
 * compact enough for hundreds of thousands of registrants, and compared with a plain array comparison.
 */
public final class CanonicalJson {

    private final ObjectMapper mapper;
    private final ObjectWriter writer;

    public CanonicalJson(ObjectMapper mapper) {
        this.mapper = mapper;
        this.writer = mapper.writer().with(JsonNodeFeature.WRITE_PROPERTIES_SORTED);
    }

    public byte[] bytes(JsonNode document) {
        try {
            return writer.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }

    public ObjectNode read(byte[] canonical) {
        try {
            return (ObjectNode) mapper.readTree(canonical);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read remembered JSON", e);
        }
    }
}
