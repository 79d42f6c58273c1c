package com.flowbridge.launch;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The settings as Camel will see them, readable before Camel starts, so that a missing or unsafe
 * setting stops start-up with a message a person can act on. Precedence is Camel Main's:
 * launcher overrides, then environment variables ({@code flow.base.url} is {@code FLOW_BASE_URL}),
 * then system properties, then {@code config/application.properties}.
 */
public final class Settings {

    private final Properties file;
    private final Map<String, String> environment;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    Settings(Properties file, Map<String, String> environment) {
        this.file = file;
        this.environment = environment;
    }

    public static Settings load(Path configFile, Map<String, String> environment) {
        Properties properties = new Properties();
        if (Files.isRegularFile(configFile)) {
            try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + configFile, e);
            }
        }
        return new Settings(properties, environment);
    }

    /** The environment variable Camel reads for a property: upper case, '.' and '-' become '_'. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public void override(String key, String value) {
        overrides.put(key, value);
    }

    public Map<String, String> overrides() {
        return Map.copyOf(overrides);
    }

    /** The value, if set and not blank. Placeholders in the file ({@code {{other.key}}}) are not resolved here. */
    public Optional<String> get(String key) {
        return givenAtLaunch(key).or(() -> nonBlank(file.getProperty(key)));
    }

    /** The value if given for this run (launcher, environment, system property), ignoring the file's default. */
    public Optional<String> givenAtLaunch(String key) {
        String value = overrides.get(key);
        if (value == null) {
            value = environment.get(environmentVariable(key));
        }
        if (value == null) {
            value = System.getProperty(key);
        }
        return nonBlank(value);
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }
}
