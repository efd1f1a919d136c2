package io.mailcast.message;

/** A message the API refuses, naming the field at fault ({@code to[3]}, {@code headers.X-Foo}) and the rule. */
public final class InvalidMessageException extends IllegalArgumentException {

    private final String field;

    public InvalidMessageException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The JSON field at fault, {@code null} when the whole message is. */
    public String field() {
        return field;
    }
}
