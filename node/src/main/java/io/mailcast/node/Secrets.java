package io.mailcast.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads secrets from mounted files; the message names the option, never the content. */
final class Secrets {

    private Secrets() {
    }

    static String readFile(Path file, String option) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException(option + " " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e.getMessage(), e);
        }
    }
}
