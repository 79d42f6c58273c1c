package com.flowbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The machine-readable contracts in {@code contracts/} (the AsyncAPI and OpenAPI documents and the JSON Schemas they
 * refer to), loaded for tests with a maintained JSON Schema validator (networknt's, draft 2020-12, as OpenAPI 3.1 reads
 * schemas too). Schemas are read from the files themselves, by their place in a document ({@code asyncapi.yaml#/...}),
 * so what is checked is what is shipped; nothing is fetched from anywhere else.
 */
public final class Contracts {

    public static final Path FOLDER = Path.of("contracts").toAbsolutePath();
    public static final Path ASYNCAPI = FOLDER.resolve("asyncapi.yaml");
    public static final Path OPENAPI = FOLDER.resolve("openapi.yaml");
    public static final Path SCHEMAS = FOLDER.resolve("schemas");

    /** Jackson 3, the validator's: its trees are what it validates. */
    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    /**
     * Draft 2020-12, where a keyword it does not know is an annotation: schemas are read where the documents hold them,
     * beside AsyncAPI's and OpenAPI's own words (examples, bindings), which say nothing about validity.
     */
    private static final Dialect DIALECT = Dialect.builder(Dialects.getDraft202012())
        .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword)).build();
    /** Loads the files of contracts/ only: a reference to anywhere else fails rather than being fetched. */
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(DIALECT,
        registry -> registry.schemaLoader(loader -> loader.fetchRemoteResources()
            .allow(iri -> iri.toString().startsWith(FOLDER.toUri().toString()))));
    private static final Map<String, Schema> SCHEMAS_BY_LOCATION = new ConcurrentHashMap<>();
    private static final Map<Path, JsonNode> DOCUMENTS = new ConcurrentHashMap<>();

    private Contracts() {
    }

    /** The schema at {@code pointer} (a JSON pointer, e.g. {@code /components/messages/x/payload}) of {@code document}. */
    public static Schema schema(Path document, String pointer) {
        String location = document.toUri() + (pointer.isEmpty() ? "" : "#" + pointer);
        return SCHEMAS_BY_LOCATION.computeIfAbsent(location, at -> REGISTRY.getSchema(SchemaLocation.of(at)));
    }

    /** A document of {@code contracts/} (YAML or JSON) as a tree. */
    public static JsonNode document(Path file) {
        return DOCUMENTS.computeIfAbsent(file.toAbsolutePath(), path -> {
            try {
                return (path.toString().endsWith(".json") ? JSON : YAML).readTree(Files.readString(path));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + path, e);
            }
        });
    }

    /** The node {@code $ref} points at, when {@code node} is a reference within the same document; else the node itself. */
    public static JsonNode resolved(JsonNode root, JsonNode node) {
        JsonNode current = node;
        while (current != null && current.has("$ref") && current.get("$ref").asString().startsWith("#/")) {
            current = root.at(current.get("$ref").asString().substring(1));
        }
        return current;
    }

    /** {@code name} as one token of a JSON pointer. */
    public static String pointerToken(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** What is wrong with {@code instance} by {@code schema}, one line each: where, and why; empty when it is valid. */
    public static List<String> violations(Schema schema, JsonNode instance) {
        List<Error> errors = schema.validate(instance);
        return errors.stream().map(Contracts::describe).collect(Collectors.toList());
    }

    /** Parses JSON text into the validator's tree. */
    public static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private static String describe(Error error) {
        String at = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
        return (at.isEmpty() ? "$" : at) + ": " + error.getMessage() + " (schema " + shortLocation(error) + ")";
    }

    private static String shortLocation(Error error) {
        String location = String.valueOf(error.getSchemaLocation());
        return location.replace(FOLDER.toUri().toString(), "contracts/");
    }
}
