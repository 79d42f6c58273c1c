package com.flowbridge.capture;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.support.DefaultMessage;

/**
 * A message that only carries one Kafka record to camel-kafka (key, topic, CloudEvents headers, value). Its headers
 * are a plain map with exact names instead of Camel's case-insensitive one: setting and reading nine headers is
 * then cheap, which shows when a report of a million rows becomes a million records.
 */
final class RecordMessage extends DefaultMessage {

    RecordMessage(CamelContext context) {
        super(context);
    }

    @Override
    protected Map<String, Object> createHeaders() {
        return new HashMap<>(16);
    }
}
