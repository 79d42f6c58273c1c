package com.flowbridge.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.serialization.Serializer;

/**
 * Keys and values as camel-kafka hands them to a producer shared by several endpoints: text (JSON records, keys) as
 * UTF-8, bytes (a dead letter's original value) exactly as they are, null (a tombstone) as null.
 */
public final class TextOrBytesSerializer implements Serializer<Object> {

    @Override
    public byte[] serialize(String topic, Object data) {
        if (data == null || data instanceof byte[]) {
            return (byte[]) data;
        }
        return data.toString().getBytes(StandardCharsets.UTF_8);
    }
}
