package io.mailcast.client;

/** The send API refused a request (a 4xx), or it kept failing after the retries. */
public final class MailcastException extends RuntimeException {

    private final int status;
    private final String field;

    public MailcastException(int status, String error, String field) {
        super(status + ": " + error + (field == null ? "" : " (" + field + ")"));
        this.status = status;
        this.field = field;
    }

    /** The HTTP status, or 0 when the server could not be reached at all. */
    public int status() {
        return status;
    }

    /** The field or header at fault as the server named it ({@code to[2]}, {@code from}), or {@code null}. */
    public String field() {
        return field;
    }
}
