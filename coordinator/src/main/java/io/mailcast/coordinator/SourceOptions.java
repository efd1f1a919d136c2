package io.mailcast.coordinator;

import io.mailcast.subscriber.SubscriberMapping;
import picocli.CommandLine.Option;

import java.util.List;

/** Where the subscribers are and how their documents read: shared by {@code submit} and {@code schedule add}. */
final class SourceOptions {

    @Option(names = "--database", paramLabel = "NAME",
            description = "Database holding the subscribers (default: the one in --mongo-uri)")
    String database;

    @Option(names = "--collection", defaultValue = "subscribers", paramLabel = "NAME",
            description = "Collection holding the subscribers (default: ${DEFAULT-VALUE})")
    String collection;

    @Option(names = "--email-field", defaultValue = "email", paramLabel = "PATH",
            description = "Field holding the address; dots reach into sub-documents, e.g. contact.email (default: ${DEFAULT-VALUE})")
    String emailField;

    @Option(names = "--name-field", defaultValue = "name", paramLabel = "PATH",
            description = "Field holding the display name, or '' for none (default: ${DEFAULT-VALUE})")
    String nameField;

    @Option(names = "--fields", split = ",", paramLabel = "FIELD",
            description = "Top-level fields templates see besides id, email and name (default: the whole document)")
    List<String> fields;

    /** @throws IllegalArgumentException naming the option's problem */
    SubscriberMapping mapping() {
        return new SubscriberMapping(database, collection, emailField, nameField == null || nameField.isEmpty() ? null
                : nameField, fields == null ? List.of() : fields.stream().map(String::strip).toList());
    }
}
