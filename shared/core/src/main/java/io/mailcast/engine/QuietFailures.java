package io.mailcast.engine;

import org.slf4j.Logger;

import java.time.Clock;
import java.time.Duration;

/**
 * Logs a failure that repeats (a minority side of a partition refusing every claim, a store that is down) once when it
 * starts and then once a minute with how often it happened, instead of once per loop turn.
 */
final class QuietFailures {

    private static final Duration REPEAT_EVERY = Duration.ofMinutes(1);

    private final Logger log;
    private final Clock clock;
    private String lastMessage;
    private long lastLoggedAt;
    private long suppressed;

    QuietFailures(Logger log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    synchronized void failed(String what, Throwable t) {
        String message = t.toString();
        long now = clock.millis();
        if (message.equals(lastMessage) && now - lastLoggedAt < REPEAT_EVERY.toMillis()) {
            suppressed++;
            return;
        }
        if (message.equals(lastMessage)) {
            log.warn("{} still failing ({} more times in the last minute): {}", what, suppressed, message);
        } else {
            log.warn("{} failed, continuing: {}", what, message, t);
        }
        lastMessage = message;
        lastLoggedAt = now;
        suppressed = 0;
    }

    synchronized void recovered() {
        lastMessage = null;
    }
}
