package com.flowbridge.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * A message that only carries one Kafka record to camel-kafka (key, topic, CloudEvents headers, value). Its headers
 * are a plain map with exact names instead of Camel's case-insensitive one: setting and reading nine headers is
 * then cheap, which shows when a report of a million rows becomes a million records.
 */
public final class RecordMessage extends DefaultMessage {

    private RecordMessage(CamelContext context) {
        super(context);
    }

    /**
     * One record for a list sent by a {@code kafka:} endpoint with {@code batchWithIndividualHeaders}: its key, its value
     * (null: a tombstone) and nothing else yet; add the headers it carries.
     */
    public static Message of(CamelContext context, String key, Object value) {
        Message record = new RecordMessage(context);
        record.setHeader(KafkaConstants.KEY, key);
        record.setBody(value);
        return record;
    }

    @Override
    protected Map<String, Object> createHeaders() {
        return new HashMap<>(16);
    }
}
