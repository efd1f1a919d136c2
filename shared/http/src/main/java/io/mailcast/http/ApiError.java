package io.mailcast.http;

import java.time.Duration;

/**
 * A request the API refuses: the status and the JSON body {@code {"error": ..., "field": ...}} it gets.
 *
 * @param field      the JSON field (or header) at fault, {@code null} when it is the request as a whole
 * @param retryAfter for 429, when to try again; {@code null} otherwise
 */
final class ApiError extends RuntimeException {

    private final int status;
    private final String field;
    private final Duration retryAfter;

    ApiError(int status, String error, String field) {
        this(status, error, field, null);
    }

    ApiError(int status, String error, String field, Duration retryAfter) {
        super(error, null, false, false);
        this.status = status;
        this.field = field;
        this.retryAfter = retryAfter;
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
