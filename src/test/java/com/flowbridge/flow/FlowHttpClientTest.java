package com.flowbridge.flow;

import java.net.URI;
import java.util.Optional;

import com.flowbridge.sandbox.FlowSandbox;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP client flow-bridge uses for FLOW, against the sandbox over real HTTP. */
class FlowHttpClientTest {

    private static FlowSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = FlowSandbox.start("127.0.0.1", 0, "client-test-secret");
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void flow_gets_the_api_secret_and_no_other_host_ever_does() throws Exception {
        HttpClientBuilder builder = HttpClientBuilder.create();
        new FlowHttpClient(secret("client-test-secret"), URI.create(sandbox.baseUrl())).configureHttpClient(builder);

        try (CloseableHttpClient client = builder.build()) {
            int status = client.execute(new HttpGet(sandbox.baseUrl() + "/operators"), response -> response.getCode());
            assertThat(status).isEqualTo(200);
            assertThat(sandbox.state().requests("GET", "/operators")).singleElement()
                .satisfies(request -> assertThat(request.apiSecretValid()).isTrue());

            // The same server under another name is another host: the secret is not sent, the request not made.
            String elsewhere = "http://localhost:" + sandbox.port() + "/api/v1/operators";
            assertThatThrownBy(() -> client.execute(new HttpGet(elsewhere), response -> response.getCode()))
                .hasMessageContaining("Refusing to send FLOW credentials to localhost");
            assertThat(sandbox.state().requests("GET", "/operators")).hasSize(1);
        }
    }

    @Test
    void its_description_never_shows_the_secret() {
        assertThat(new FlowHttpClient(secret("client-test-secret"), URI.create(sandbox.baseUrl())).toString())
            .doesNotContain("client-test-secret");
        assertThat(secret("client-test-secret").toString()).isEqualTo("***");
    }

    private static FlowApiSecret secret(String value) {
        return FlowApiSecret.resolve(key -> key.equals(FlowApiSecret.PROPERTY) ? Optional.of(value) : Optional.empty());
    }
}
