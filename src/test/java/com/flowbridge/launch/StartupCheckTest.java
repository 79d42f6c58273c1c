package com.flowbridge.launch;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StartupCheckTest {

    @Test
    void missing_secret_and_bootstrap_servers_are_both_named() {
        Settings settings = new Settings(new Properties(), Map.of("FLOW_BASE_URL", "https://prod.flowapp.com/api/v1"));

        assertThat(StartupCheck.problems(settings)).containsExactly(
            "FLOW_API_SECRET (or FLOW_API_SECRET_FILE) is not set",
            "KAFKA_BOOTSTRAP_SERVERS is not set");
    }

    @Test
    void environment_variables_satisfy_the_check() {
        Settings settings = new Settings(new Properties(), Map.of(
            "FLOW_BASE_URL", "https://prod.flowapp.com/api/v1",
            "FLOW_API_SECRET", "x",
            "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
            "FLOW_POLL_INTERVAL", "30s"));

        assertThat(StartupCheck.problems(settings)).isEmpty();
    }

    @Test
    void an_unreadable_secret_file_is_named_without_showing_anything_of_it() {
        Settings settings = new Settings(new Properties(), Map.of(
            "FLOW_BASE_URL", "https://prod.flowapp.com/api/v1",
            "FLOW_API_SECRET_FILE", "/nonexistent/flow-secret",
            "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));

        assertThat(StartupCheck.problems(settings)).containsExactly("FLOW_API_SECRET_FILE /nonexistent/flow-secret cannot be read (NoSuchFileException)");
    }

    @Test
    void unusable_webhook_secrets_stop_start_up_named_by_where_they_are_never_by_value() {
        Settings settings = new Settings(new Properties(), Map.of(
            "FLOW_BASE_URL", "https://prod.flowapp.com/api/v1", "FLOW_API_SECRET", "x", "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
            "WEBHOOK_STANDARD_SECRET", "fake-not-a-whsec-secret",
            "WEBHOOK_SECRET_FILE", "/nonexistent/webhook-secrets"));

        assertThat(StartupCheck.problems(settings)).containsExactly(
            "WEBHOOK_SECRET_FILE /nonexistent/webhook-secrets cannot be read (NoSuchFileException)");
        Settings standard = new Settings(new Properties(), Map.of(
            "FLOW_BASE_URL", "https://prod.flowapp.com/api/v1", "FLOW_API_SECRET", "x", "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
            "WEBHOOK_STANDARD_SECRET", "fake-not-a-whsec-secret"));
        assertThat(StartupCheck.problems(standard)).containsExactly(
            "WEBHOOK_STANDARD_SECRET entry 1 of 1 is not a Standard Webhooks secret (whsec_ followed by base64)");
    }

    @Test
    void plain_http_is_refused_for_a_remote_host_unless_allowed_but_fine_for_this_machine() {
        assertThat(StartupCheck.unsafeBaseUrl("http://flow.example.com/api/v1", false)).contains("unencrypted");
        assertThat(StartupCheck.unsafeBaseUrl("http://flow.example.com/api/v1", true)).isNull();
        assertThat(StartupCheck.unsafeBaseUrl("http://127.0.0.1:8081/api/v1", false)).isNull();
        assertThat(StartupCheck.unsafeBaseUrl("https://prod.flowapp.com/api/v1", false)).isNull();
        assertThat(StartupCheck.unsafeBaseUrl("ftp://x/y", false)).contains("not an http(s) URL");
    }

    @Test
    void a_poll_interval_that_is_not_a_duration_is_refused() {
        Settings settings = new Settings(new Properties(), Map.of(
            "FLOW_API_SECRET", "x", "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
            "FLOW_BASE_URL", "https://prod.flowapp.com/api/v1", "FLOW_POLL_INTERVAL", "5 minutes"));

        assertThat(StartupCheck.problems(settings)).containsExactly("FLOW_POLL_INTERVAL '5 minutes' is not a duration such as 30s, 5m or 1h");
    }

    @Test
    void the_registrant_and_operator_timings_must_be_durations_too() {
        Settings settings = new Settings(new Properties(), Map.of(
            "FLOW_API_SECRET", "x", "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "FLOW_BASE_URL", "https://prod.flowapp.com/api/v1",
            "FLOW_REGISTRANTS_POLL_INTERVAL", "often", "FLOW_REGISTRANTS_PAST_WINDOW", "a week", "FLOW_OPERATORS_POLL_INTERVAL", "10m"));

        assertThat(StartupCheck.problems(settings)).containsExactly(
            "FLOW_REGISTRANTS_POLL_INTERVAL 'often' is not a duration such as 30s, 5m or 1h",
            "FLOW_REGISTRANTS_PAST_WINDOW 'a week' is not a duration such as 30s, 5m or 1h");
    }
}
