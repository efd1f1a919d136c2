package io.mailcast.message;

import java.time.Instant;
import java.util.Objects;

/**
 * A report that came back about one recipient's copy of a send-API message after the relay accepted it.
 *
 * @param kind       {@code HARD}, {@code SOFT} or {@code COMPLAINT}
 * @param status     the DSN status code ({@code 5.1.1}), or the complaint's feedback type
 * @param diagnostic the receiving server's words, {@code null} when the report gave none
 */
public record MessageBounce(String recipient, String kind, String status, String diagnostic, Instant at) {

    public MessageBounce {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
    }
}
