package com.flowbridge.kafka;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Which message headers become Kafka record headers: the CloudEvents attributes ({@code ce_*}) and
 * {@code content-type}, nothing else. An explicit border (no routing header, no HTTP header can ride along), and a
 * cheap one: two string checks per header, where camel-kafka's default filter matches patterns, which shows on
 * a report of a million rows.
 */
public final class RecordHeaderFilter implements HeaderFilterStrategy {

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !(headerName.startsWith("ce_") || headerName.equals("content-type"));
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return false;
    }
}
