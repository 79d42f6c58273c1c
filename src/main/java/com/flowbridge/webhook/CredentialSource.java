package com.flowbridge.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.flowbridge.launch.Settings;

/**
 * Where one scheme's secrets (or tokens) come from: the setting itself, several comma-separated
 * ({@code webhook.secret}, i.e. {@code WEBHOOK_SECRET=old,new}), or else a file named by {@code <setting>-file}
 * holding one per line (a mounted Docker or Kubernetes secret). A file is read again on {@link #read()}, so that keys
 * rotate without a restart. White space around each value is dropped, as are blank lines. Errors name the variable
 * and the file, never a value.
 */
record CredentialSource(String key, List<String> given, Path file) {

    static CredentialSource of(Function<String, Optional<String>> settings, String key) {
        Optional<String> direct = settings.apply(key).map(String::trim).filter(value -> !value.isEmpty());
        if (direct.isPresent()) {
            return new CredentialSource(key, values(direct.get().split(",")), null);
        }
        Optional<Path> file = settings.apply(key + "-file").map(String::trim).filter(value -> !value.isEmpty()).map(Path::of);
        return new CredentialSource(key, List.of(), file.orElse(null));
    }

    /** The values as they are now: the setting's, or the file's lines. */
    List<String> read() {
        if (file == null) {
            return given;
        }
        String variable = Settings.environmentVariable(key + "-file");
        try {
            List<String> lines = values(Files.readString(file, StandardCharsets.UTF_8).split("\\R"));
            if (lines.isEmpty()) {
                throw new IllegalStateException(variable + " " + file + " is empty");
            }
            return lines;
        } catch (IOException e) {
            throw new IllegalStateException(variable + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    boolean fromFile() {
        return file != null;
    }

    /** The environment variable the values came from, for messages: {@code WEBHOOK_SECRET} or {@code WEBHOOK_SECRET_FILE}. */
    String variable() {
        return Settings.environmentVariable(file == null ? key : key + "-file");
    }

    private static List<String> values(String[] parts) {
        return Arrays.stream(parts).map(String::trim).filter(value -> !value.isEmpty()).toList();
    }
}
