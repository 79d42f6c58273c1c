package com.flowbridge;

import java.time.Duration;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.util.TimeUtils;

/**
 * Settings as the bean configurations read them: through Camel's properties, so that environment variables
 * override config/application.properties exactly as they do for the routes.
 */
public record CamelSettings(CamelContext context) {

    /** The value, if set and not blank. */
    public Optional<String> optional(String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> new IllegalStateException(
            "The setting " + key + " is missing from config/application.properties"));
    }

    public int integer(String key) {
        return Integer.parseInt(required(key));
    }

    public double decimal(String key) {
        return Double.parseDouble(required(key));
    }

    public boolean bool(String key) {
        return Boolean.parseBoolean(required(key));
    }

    /** A duration such as 500ms, 30s, 5m, 7d (or plain milliseconds). */
    public Duration duration(String key) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(required(key)));
    }

    /** The bean registered under {@code name} by a configuration that ran earlier. */
    public <T> T bean(String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("No " + type.getSimpleName() + " bean named " + name + " is registered");
        }
        return bean;
    }
}
