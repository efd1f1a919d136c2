package io.mailcast.coordinator;

import io.mailcast.sender.AddressValidator;
import io.mailcast.subscriber.AddressNormalizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads addresses from a file with one per line, or a CSV file whose first column is the address (as {@code export}
 * writes it). Blank lines and {@code #} comments are skipped, and so is a first line without an {@code @}: a CSV header.
 */
final class AddressLines {

    /** One line's address, normalised, or why the line holds none. */
    record Line(int number, String address, String problem) {
    }

    private AddressLines() {
    }

    static void read(BufferedReader reader, Consumer<Line> each) throws IOException {
        String text;
        int number = 0;
        while ((text = reader.readLine()) != null) {
            number++;
            String field = firstColumn(text).strip();
            if (field.isEmpty() || field.startsWith("#") || (number == 1 && field.indexOf('@') < 0)) {
                continue;
            }
            String address = AddressNormalizer.normalize(field);
            Optional<String> problem = AddressValidator.problem(address);
            each.accept(new Line(number, problem.isEmpty() ? address : null, problem.orElse(null)));
        }
    }

    /** The first CSV field: up to the first comma, or a double-quoted field with {@code ""} for a quote. */
    static String firstColumn(String line) {
        String trimmed = line.stripLeading();
        if (!trimmed.startsWith("\"")) {
            int comma = line.indexOf(',');
            return comma < 0 ? line : line.substring(0, comma);
        }
        StringBuilder field = new StringBuilder();
        for (int i = 1; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '"') {
                if (i + 1 < trimmed.length() && trimmed.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    return field.toString();
                }
            } else {
                field.append(c);
            }
        }
        return trimmed; // an unterminated quote: take the line as it is, and let validation say what is wrong
    }
}
