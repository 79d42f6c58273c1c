package com.flowbridge.flow;

import java.net.URI;
import java.util.List;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * Gives the HTTP client that talks to FLOW the {@code api-secret} header. The secret lives only here and in
 * the client: it is never a message header, never part of an endpoint URI, never logged. A request to any
 * host other than the configured FLOW base URL's is refused before it is sent, so the secret cannot follow
 * a mistaken or injected address.
 */
public final class FlowHttpClient implements HttpClientConfigurer {

    private final String apiSecret;
    private final HttpHost flowHost;

    public FlowHttpClient(FlowApiSecret apiSecret, URI baseUrl) {
        this.apiSecret = apiSecret.value();
        this.flowHost = HttpHost.create(baseUrl);
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.setDefaultHeaders(List.of(new BasicHeader("api-secret", apiSecret)));
        // Retries are flow-bridge's own (counted, rate-limited, logged, honouring Retry-After): none hidden in the client.
        builder.disableAutomaticRetries();
        builder.addRequestInterceptorFirst((request, entity, context) -> {
            String target = request.getAuthority() == null ? null : request.getAuthority().getHostName();
            if (target != null && !flowHost.getHostName().equalsIgnoreCase(target)) {
                throw new IllegalStateException("Refusing to send FLOW credentials to " + target
                    + ": only " + flowHost.getHostName() + " (flow.base.url) may receive them");
            }
        });
    }

    @Override
    public String toString() {
        return "FlowHttpClient[" + flowHost + ", api-secret=***]";
    }
}
