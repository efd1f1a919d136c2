package io.mailcast.bounce;

import java.time.Duration;
import java.util.Objects;

/**
 * When soft bounces suppress an address: {@code limit} of them within {@code window}, each from a different message.
 *
 * @param limit  soft bounces that suppress, at least 1
 * @param window how far back they count, at least a minute and at most {@link #LONGEST_WINDOW}
 */
public record SoftBouncePolicy(int limit, Duration window) {

    /** Soft bounces are kept this long and no longer (the store expires them), so no window may reach further back. */
    public static final Duration LONGEST_WINDOW = Duration.ofDays(90);
    public static final SoftBouncePolicy DEFAULT = new SoftBouncePolicy(3, Duration.ofDays(7));

    public SoftBouncePolicy {
        Objects.requireNonNull(window, "window");
        if (limit < 1) {
            throw new IllegalArgumentException("--soft-bounce-limit must be at least 1, got " + limit);
        }
        if (window.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("--soft-bounce-window must be at least a minute, got " + window);
        }
        if (window.compareTo(LONGEST_WINDOW) > 0) {
            throw new IllegalArgumentException("--soft-bounce-window-days must be at most " + LONGEST_WINDOW.toDays()
                    + " (soft bounces are kept that long), got " + window.toDays());
        }
    }
}
