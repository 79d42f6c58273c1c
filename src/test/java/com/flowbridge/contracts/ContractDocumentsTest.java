package com.flowbridge.contracts;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.flowbridge.testing.Contracts;
import com.flowbridge.testing.TopicContracts;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract documents are complete and agree with what ships: every topic setting is a channel, every HTTP path a
 * route serves is in the OpenAPI document, every schema is a valid JSON Schema 2020-12 that a document uses, every
 * example matches its schemas, and every message of a product topic is a CloudEvent whose ce_type values are listed.
 * (The ecosystems' own validators run in {@code ContractValidatorsIT}; real records and answers are checked by every
 * integration test, through {@link TopicContracts} and {@link com.flowbridge.testing.HttpContract}.)
 */
class ContractDocumentsTest {

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z][a-zA-Z0-9_-]*(\\.[a-zA-Z0-9_-]+)+");
    private static final Pattern PLATFORM_HTTP = Pattern.compile("platform-http:(/[^\"?\\s]*)");
    private static final Pattern REF = Pattern.compile("\\$ref[\"']?\\s*:\\s*[\"']?(\\./)?(schemas/)?([a-z0-9-]+\\.schema\\.json)");

    @Test
    void every_topic_setting_is_a_channel_of_the_asyncapi_document_and_every_channel_a_topic_setting() throws IOException {
        Properties shipped = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("config/application.properties"), StandardCharsets.UTF_8)) {
            shipped.load(reader);
        }
        Set<String> topics = shipped.stringPropertyNames().stream().filter(key -> key.startsWith("kafka.topic."))
            .map(key -> shipped.getProperty(key).trim()).filter(value -> TOPIC.matcher(value).matches())
            .collect(Collectors.toCollection(TreeSet::new));
        Set<String> channels = TopicContracts.get().channels().stream().map(TopicContracts.Channel::address)
            .collect(Collectors.toCollection(TreeSet::new));

        assertThat(topics).as("kafka.topic.* settings").hasSizeGreaterThanOrEqualTo(18);
        assertThat(channels).as("channels of contracts/asyncapi.yaml").isEqualTo(topics);
    }

    @Test
    void every_channel_is_a_product_topic_an_input_internal_or_for_operators_and_flow_bridges_own_are_named_so() {
        SoftAssertions softly = new SoftAssertions();
        for (TopicContracts.Channel channel : TopicContracts.get().channels()) {
            softly.assertThat(channel.tags()).as("tags of %s", channel.address())
                .containsAnyOf("product", "input", "internal", "operations");
            softly.assertThat(channel.tags().contains("internal") || channel.tags().contains("operations"))
                .as("%s is flow-bridge's own (internal, or for its operators)", channel.address())
                .isEqualTo(channel.address().startsWith("flow-bridge."));
            if (!channel.tags().contains("coordination")) {
                softly.assertThat(channel.messages()).as("messages of %s", channel.address()).isNotEmpty();
            }
        }
        softly.assertAll();
    }

    @Test
    void every_message_flow_bridge_writes_to_a_product_topic_is_a_cloudevent_with_its_ce_types_listed() {
        SoftAssertions softly = new SoftAssertions();
        for (TopicContracts.Channel channel : TopicContracts.get().channels()) {
            if (!channel.isProduct()) {
                continue;
            }
            for (TopicContracts.Message message : channel.messages()) {
                if (message.input()) {
                    continue;
                }
                softly.assertThat(message.ceTypes()).as("ce_type values listed for %s on %s", message.name(), channel.address())
                    .isNotEmpty().allMatch(type -> type.matches("flow\\.[a-z]+(-[a-z]+)*\\.[a-z]+(-[a-z]+)*"));
                softly.assertThat(message.headers()).as("headers schema of %s", message.name()).isNotNull();
                if (message.headers() != null) {
                    List<String> withoutHeaders = Contracts.violations(message.headers(), Contracts.json("{}"));
                    for (String attribute : List.of("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", "content-type")) {
                        softly.assertThat(withoutHeaders).as("%s requires %s", message.name(), attribute)
                            .anyMatch(violation -> violation.contains("'" + attribute + "'"));
                    }
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void every_message_example_of_the_asyncapi_document_matches_the_message() {
        JsonNode document = Contracts.document(Contracts.ASYNCAPI);
        SoftAssertions softly = new SoftAssertions();
        int examples = 0;
        for (Map.Entry<String, JsonNode> message : document.path("components").path("messages").properties()) {
            String pointer = "/components/messages/" + message.getKey();
            softly.assertThat(message.getValue().path("examples")).as("examples of %s", message.getKey()).isNotEmpty();
            for (JsonNode example : message.getValue().path("examples")) {
                examples++;
                String name = message.getKey() + " example " + example.path("name").asString();
                softly.assertThat(Contracts.violations(Contracts.schema(Contracts.ASYNCAPI, pointer + "/payload"), example.path("payload")))
                    .as("payload of %s", name).isEmpty();
                if (message.getValue().has("headers")) {
                    boolean input = message.getValue().path("tags").toString().contains("\"input\"");
                    softly.assertThat(input || example.has("headers")).as("%s shows the headers flow-bridge writes", name).isTrue();
                    if (example.has("headers")) {
                        softly.assertThat(Contracts.violations(Contracts.schema(Contracts.ASYNCAPI, pointer + "/headers"), example.path("headers")))
                            .as("headers of %s", name).isEmpty();
                    }
                }
            }
        }
        assertThat(examples).as("examples in contracts/asyncapi.yaml").isGreaterThanOrEqualTo(20);
        softly.assertAll();
    }

    @Test
    void every_example_of_the_openapi_document_matches_its_schema() {
        JsonNode document = Contracts.document(Contracts.OPENAPI);
        SoftAssertions softly = new SoftAssertions();
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (!operation.getValue().isObject() || operation.getKey().equals("servers")) {
                    continue;
                }
                String operationPointer = "/paths/" + Contracts.pointerToken(path.getKey()) + "/" + operation.getKey();
                examples(document, operationPointer + "/requestBody", softly, checked);
                for (Map.Entry<String, JsonNode> response : operation.getValue().path("responses").properties()) {
                    examples(document, operationPointer + "/responses/" + response.getKey(), softly, checked);
                }
            }
        }
        assertThat(checked).as("examples in contracts/openapi.yaml").hasSizeGreaterThanOrEqualTo(15);
        softly.assertAll();
    }

    @Test
    void every_schema_is_a_valid_json_schema_2020_12_that_a_document_refers_to() throws IOException {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Schema metaSchema = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        List<Path> schemas;
        try (Stream<Path> files = Files.list(Contracts.SCHEMAS)) {
            schemas = files.filter(file -> file.toString().endsWith(".schema.json")).sorted().toList();
        }
        Map<Path, Set<String>> referencesByFile = new java.util.HashMap<>();
        for (Path file : concat(schemas, List.of(Contracts.ASYNCAPI, Contracts.OPENAPI))) {
            Matcher refs = REF.matcher(Files.readString(file));
            Set<String> names = new TreeSet<>();
            while (refs.find()) {
                names.add(refs.group(3));
            }
            referencesByFile.put(file, names);
        }
        SoftAssertions softly = new SoftAssertions();
        for (Path schema : schemas) {
            JsonNode tree = Contracts.document(schema);
            softly.assertThat(tree.path("$schema").asString()).as("$schema of %s", schema.getFileName())
                .isEqualTo("https://json-schema.org/draft/2020-12/schema");
            softly.assertThat(tree.path("title").asString()).as("title of %s", schema.getFileName()).isNotBlank();
            softly.assertThat(tree.path("description").asString()).as("description of %s", schema.getFileName()).isNotBlank();
            softly.assertThat(Contracts.violations(metaSchema, tree)).as("%s by the 2020-12 meta-schema", schema.getFileName()).isEmpty();
            softly.assertThat(Contracts.schema(schema, "")).as("%s loads with its references", schema.getFileName()).isNotNull();
            String name = schema.getFileName().toString();
            softly.assertThat(referencesByFile.entrySet().stream().filter(entry -> !entry.getKey().equals(schema))
                .anyMatch(entry -> entry.getValue().contains(name))).as("%s is referred to", name).isTrue();
        }
        softly.assertAll();
    }

    @Test
    void every_http_path_the_routes_serve_is_in_the_openapi_document_with_the_management_endpoints() throws IOException {
        Set<String> served = new TreeSet<>(Set.of("/observe/health", "/observe/metrics"));
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.filter(file -> file.toString().endsWith(".yaml")).toList()) {
                Matcher uri = PLATFORM_HTTP.matcher(Files.readString(route));
                while (uri.find()) {
                    served.add(uri.group(1));
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        Contracts.document(Contracts.OPENAPI).path("paths").propertyNames().forEach(documented::add);

        assertThat(served).hasSizeGreaterThanOrEqualTo(5);
        assertThat(documented).isEqualTo(served);
    }

    /** The example of every media type at {@code pointer} (a request body or a response, maybe a reference), against its schema. */
    private static void examples(JsonNode document, String pointer, SoftAssertions softly, List<String> checked) {
        JsonNode node = document.at(pointer);
        String at = pointer;
        if (node.has("$ref")) {
            at = node.get("$ref").asString().substring(1);
            node = document.at(at);
        }
        for (Map.Entry<String, JsonNode> media : node.path("content").properties()) {
            String mediaPointer = at + "/content/" + Contracts.pointerToken(media.getKey());
            softly.assertThat(media.getValue().has("example")).as("example at %s", mediaPointer).isTrue();
            if (media.getValue().has("example") && media.getKey().equals("application/json")) {
                checked.add(mediaPointer);
                softly.assertThat(Contracts.violations(Contracts.schema(Contracts.OPENAPI, mediaPointer + "/schema"),
                    media.getValue().get("example"))).as("example at %s (for %s)", mediaPointer, pointer).isEmpty();
            }
        }
    }

    private static List<Path> concat(List<Path> first, List<Path> second) {
        List<Path> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
