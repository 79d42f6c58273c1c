package com.flowbridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import com.flowbridge.launch.Settings;

/**
 * A secret setting: given directly ({@code flow.api.secret}, i.e. {@code FLOW_API_SECRET}) or as a file holding it
 * ({@code flow.api.secret-file}, i.e. {@code FLOW_API_SECRET_FILE}, e.g. a mounted Docker or Kubernetes secret).
 * Errors name the setting and the file, never the value.
 */
public final class SecretSetting {

    private SecretSetting() {
    }

    /**
     * The secret under {@code key}, else the content of the file named by {@code key + "-file"}; empty if neither is set.
     *
     * @throws IllegalStateException when the file is named but cannot be read or is empty
     */
    public static Optional<String> resolve(Function<String, Optional<String>> settings, String key) {
        Optional<String> direct = settings.apply(key).map(String::trim).filter(s -> !s.isEmpty());
        if (direct.isPresent()) {
            return direct;
        }
        String fileKey = key + "-file";
        Optional<String> file = settings.apply(fileKey).map(String::trim).filter(s -> !s.isEmpty());
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String variable = Settings.environmentVariable(fileKey);
        try {
            String fromFile = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).trim();
            if (fromFile.isEmpty()) {
                throw new IllegalStateException(variable + " " + file.get() + " is empty");
            }
            return Optional.of(fromFile);
        } catch (IOException e) {
            throw new IllegalStateException(variable + " " + file.get() + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
