package io.mailcast.http.validation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads the validator's API key from an environment variable or a file, once; the key itself is never echoed. */
public final class ApiKeySource {

    private ApiKeySource() {
    }

    /**
     * @param envVar name of the variable holding the key, or {@code null}
     * @param file   file holding the key (surrounding blanks dropped), or {@code null}
     * @return the key, or {@code null} when neither is given
     * @throws IllegalArgumentException naming the variable or file (never the key) when it is empty or unreadable
     */
    public static String read(String envVar, Path file, Map<String, String> env) {
        if (envVar != null && file != null) {
            throw new IllegalArgumentException("give the validator API key by environment variable or by file, not both");
        }
        if (envVar != null) {
            String key = env.get(envVar);
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("environment variable " + envVar + " (validator API key) is not set");
            }
            return key.strip();
        }
        if (file != null) {
            try {
                String key = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (key.isEmpty()) {
                    throw new IllegalArgumentException("validator API key file " + file + " is empty");
                }
                return key;
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the validator API key file " + file + ": "
                        + e.getClass().getSimpleName());
            }
        }
        return null;
    }
}
