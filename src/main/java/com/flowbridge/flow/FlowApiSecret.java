package com.flowbridge.flow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * FLOW's api-secret, from {@code flow.api.secret} ({@code FLOW_API_SECRET}) or from the file named by
 * {@code flow.api.secret-file} ({@code FLOW_API_SECRET_FILE}, e.g. a mounted Kubernetes or Docker secret).
 * {@link #toString()} never shows it.
 */
public final class FlowApiSecret {

    public static final String PROPERTY = "flow.api.secret";
    public static final String FILE_PROPERTY = "flow.api.secret-file";

    private final String value;

    private FlowApiSecret(String value) {
        this.value = value;
    }

    /**
     * Looks the secret up with the given property lookup (blank counts as absent).
     *
     * @throws IllegalStateException naming the variables to set, or the file that could not be read
     */
    public static FlowApiSecret resolve(Function<String, Optional<String>> settings) {
        Optional<String> direct = settings.apply(PROPERTY).map(String::trim).filter(s -> !s.isEmpty());
        if (direct.isPresent()) {
            return new FlowApiSecret(direct.get());
        }
        Optional<String> file = settings.apply(FILE_PROPERTY).map(String::trim).filter(s -> !s.isEmpty());
        if (file.isEmpty()) {
            throw new IllegalStateException("FLOW_API_SECRET (or FLOW_API_SECRET_FILE) is not set");
        }
        try {
            String fromFile = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).trim();
            if (fromFile.isEmpty()) {
                throw new IllegalStateException("FLOW_API_SECRET_FILE " + file.get() + " is empty");
            }
            return new FlowApiSecret(fromFile);
        } catch (IOException e) {
            throw new IllegalStateException("FLOW_API_SECRET_FILE " + file.get() + " cannot be read ("
                + e.getClass().getSimpleName() + ")");
        }
    }

    String value() {
        return value;
    }

    @Override
    public String toString() {
        return "***";
    }
}
