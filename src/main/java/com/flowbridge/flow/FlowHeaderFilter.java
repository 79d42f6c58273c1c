package com.flowbridge.flow;

import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Which headers cross the HTTP boundary with FLOW: only those named here, in either direction.
 * Kafka record headers or webhook headers never reach FLOW, and FLOW's cookies, server names and
 * the like never reach Kafka. (The api-secret is not a message header at all: see {@link FlowHttpClient}.)
 */
public final class FlowHeaderFilter implements HeaderFilterStrategy {

    private static final Set<String> TO_FLOW = caseInsensitive("Content-Type", "Accept", "X-Command-Id");
    private static final Set<String> FROM_FLOW = caseInsensitive("Content-Type", "Location", "Retry-After");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !TO_FLOW.contains(headerName);
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !FROM_FLOW.contains(headerName);
    }

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(Set.of(names));
        return set;
    }
}
