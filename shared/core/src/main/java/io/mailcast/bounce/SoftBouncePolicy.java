package io.mailcast.bounce;

import java.time.Duration;
import java.util.Objects;

/**
 * When soft bounces suppress an address: {@code limit} of them within {@code window}, each from a different message.
 *
 * @param limit  soft bounces that suppress, at least 1
 * @param window how far back they count, at least a minute
 */
public record SoftBouncePolicy(int limit, Duration window) {

    public static final SoftBouncePolicy DEFAULT = new SoftBouncePolicy(3, Duration.ofDays(7));

    public SoftBouncePolicy {
        Objects.requireNonNull(window, "window");
        if (limit < 1) {
            throw new IllegalArgumentException("--soft-bounce-limit must be at least 1, got " + limit);
        }
        if (window.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("--soft-bounce-window must be at least a minute, got " + window);
        }
    }
}
