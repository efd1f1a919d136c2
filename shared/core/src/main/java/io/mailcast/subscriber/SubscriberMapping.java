package io.mailcast.subscriber;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a campaign's subscribers live and how their documents read: the collection, the fields holding the address
 * and the name (dotted paths reach into sub-documents), and the fields templates see.
 *
 * @param database   database name, {@code null} for the one in the connection string
 * @param collection collection name
 * @param emailField field holding the address, for example {@code email} or {@code contact.email}
 * @param nameField  field holding the display name, {@code null} for none
 * @param fields     top-level fields templates see besides id, email and name; empty for the whole document
 */
public record SubscriberMapping(String database, String collection, String emailField, String nameField,
                                List<String> fields) {

    // MongoDB refuses '$' and NUL in names; a leading '.' or '..' makes a path that matches nothing.
    private static final Pattern FIELD_PATH = Pattern.compile("[^$.\\x00][^$\\x00]*");
    private static final Pattern DATABASE = Pattern.compile("[^/\\\\. \"$*<>:|?\\x00]{1,63}");
    private static final int MAX_NAME = 200;

    // After the patterns: the constructor checks with them.
    public static final SubscriberMapping DEFAULT = new SubscriberMapping(null, "subscribers", "email", "name", List.of());

    public SubscriberMapping {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(emailField, "emailField");
        fields = fields == null ? List.of() : List.copyOf(fields);
        if (database != null && !DATABASE.matcher(database).matches()) {
            throw new IllegalArgumentException("database name '" + database + "' is not one MongoDB accepts (1-63 "
                    + "characters, none of / \\ . space \" $ * < > : | ?)");
        }
        if (collection.isEmpty() || collection.length() > MAX_NAME || collection.startsWith("system.")
                || !FIELD_PATH.matcher(collection).matches()) {
            throw new IllegalArgumentException("collection name '" + collection + "' is not one MongoDB accepts "
                    + "(1-" + MAX_NAME + " characters, no $, not starting with . or system.)");
        }
        checkPath("e-mail field", emailField);
        if (nameField != null) {
            checkPath("name field", nameField);
        }
        for (String field : fields) {
            checkPath("template field", field);
            if (field.contains(".")) {
                throw new IllegalArgumentException("template field '" + field + "' must be a top-level field; "
                        + "templates reach inside it as {{" + field + "}}");
            }
        }
    }

    private static void checkPath(String what, String path) {
        if (path.isEmpty() || path.length() > MAX_NAME || !FIELD_PATH.matcher(path).matches() || path.endsWith(".")
                || path.contains("..")) {
            throw new IllegalArgumentException("the " + what + " '" + path + "' is not a field path (letters, digits, "
                    + "_ and dots between names, no $)");
        }
    }

    /** Whether templates see the whole document. */
    public boolean wholeDocument() {
        return fields.isEmpty();
    }
}
