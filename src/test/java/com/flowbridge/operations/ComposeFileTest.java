package com.flowbridge.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so what can be checked without running it is checked:
 * it parses, its images are pinned, flow-bridge gets routes/, config/ and kamelets/ mounted, reaches Kafka at the
 * address the broker advertises, and takes its secrets from the environment (a git-ignored .env), never from the file.
 */
class ComposeFileTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws IOException {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
            .loadFromString(Files.readString(Path.of("docker-compose.yml")));
        return (Map<String, Object>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws IOException {
        return (Map<String, Object>) services().get(name);
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_image_is_pinned_to_a_version() throws IOException {
        assertThat(services().values()).allSatisfy(service -> {
            String image = (String) ((Map<String, Object>) service).get("image");
            assertThat(image).matches("[a-z0-9./-]+:[0-9][\\w.-]*");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void flow_bridge_runs_the_jar_with_the_routes_config_and_kamelets_of_this_folder() throws IOException {
        Map<String, Object> bridge = service("flow-bridge");
        assertThat((List<String>) bridge.get("volumes")).contains("./target/flow-bridge.jar:/app/flow-bridge.jar:ro",
            "./routes:/app/routes", "./config:/app/config", "./kamelets:/app/kamelets");
        assertThat(bridge.get("working_dir")).isEqualTo("/app");
        assertThat((List<String>) bridge.get("command")).containsSequence("-jar", "/app/flow-bridge.jar");
    }

    @Test
    @SuppressWarnings("unchecked")
    void flow_bridge_reaches_kafka_where_the_broker_advertises_itself() throws IOException {
        Map<String, Object> environment = (Map<String, Object>) service("flow-bridge").get("environment");
        Map<String, Object> kafka = (Map<String, Object>) service("kafka").get("environment");
        assertThat((String) kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("PLAINTEXT://" + environment.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(kafka.get("KAFKA_PROCESS_ROLES")).as("KRaft, no ZooKeeper").isEqualTo("broker,controller");
    }

    @Test
    @SuppressWarnings("unchecked")
    void secrets_come_from_the_environment_and_the_env_file_is_git_ignored() throws IOException {
        Map<String, Object> environment = (Map<String, Object>) service("flow-bridge").get("environment");
        for (String secret : List.of("FLOW_API_SECRET", "WEBHOOK_STANDARD_SECRET", "WEBHOOK_SECRET", "WEBHOOK_TOKEN")) {
            assertThat((String) environment.get(secret)).as(secret).startsWith("${" + secret);
        }
        assertThat(Files.readAllLines(Path.of(".gitignore"))).contains(".env");
    }

    @Test
    void the_sandbox_env_file_points_flow_bridge_at_the_sandbox_service() throws IOException {
        List<String> sandbox = Files.readAllLines(Path.of("config", "compose-sandbox.env"));
        assertThat(sandbox).contains("COMPOSE_PROFILES=sandbox", "FLOW_BASE_URL=http://flow-sandbox:8081/api/v1");
        assertThat(services()).containsKey("flow-sandbox");
    }
}
