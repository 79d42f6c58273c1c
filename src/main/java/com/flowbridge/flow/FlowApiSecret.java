package com.flowbridge.flow;

import java.util.Optional;
import java.util.function.Function;

import com.flowbridge.SecretSetting;

/**
 * FLOW's api-secret, from {@code FLOW_API_SECRET} or {@code FLOW_API_SECRET_FILE} (see {@link SecretSetting}).
 * {@link #toString()} never shows it.
 */
public final class FlowApiSecret {

    public static final String PROPERTY = "flow.api.secret";

    private final String value;

    private FlowApiSecret(String value) {
        this.value = value;
    }

    /** @throws IllegalStateException naming the variables to set, or the file that could not be read */
    public static FlowApiSecret resolve(Function<String, Optional<String>> settings) {
        return new FlowApiSecret(SecretSetting.resolve(settings, PROPERTY)
            .orElseThrow(() -> new IllegalStateException("FLOW_API_SECRET (or FLOW_API_SECRET_FILE) is not set")));
    }

    String value() {
        return value;
    }

    @Override
    public String toString() {
        return "***";
    }
}
