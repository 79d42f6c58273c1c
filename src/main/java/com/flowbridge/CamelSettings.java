package com.flowbridge;

import java.util.Optional;

import org.apache.camel.CamelContext;

/**
 * Settings read through Camel's properties (so environment variables override config/application.properties exactly
 * as they do for the routes), for what {@code @PropertyInject} cannot name: a family of optional keys a bean reads
 * itself (the FLOW secret, webhook credentials, Kafka security; the same lookup {@code launch/Settings} gives the
 * operator verbs before Camel runs), and keys made at run time (one per report kind).
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
}
