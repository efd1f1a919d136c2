package io.mailcast.time;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries a store write that records a fact (a chunk's completion, a verdict paid for) while the store throws: the
 * pause doubles from {@code first} up to {@code longest}, and the write is given up (its last error rethrown) only
 * after {@code giveUpAfter}.
 *
 * @param giveUpAfter how long to keep trying; {@code null} for as long as it takes
 */
public record StoreRetry(Duration first, Duration longest, Duration giveUpAfter, Clock clock, Sleeper sleeper) {

    /** Sees each failure with the time since the first attempt and the pause before the next. */
    @FunctionalInterface
    public interface Report {
        void failed(RuntimeException e, Duration trying, Duration nextPause);
    }

    public <T> T write(Supplier<T> write, Report report) throws InterruptedException {
        long since = clock.millis();
        Duration pause = first;
        while (true) {
            try {
                return write.get();
            } catch (RuntimeException e) {
                Duration trying = Duration.ofMillis(clock.millis() - since);
                if (giveUpAfter != null && trying.compareTo(giveUpAfter) > 0) {
                    throw e;
                }
                report.failed(e, trying, pause);
                sleeper.sleep(pause);
                pause = pause.multipliedBy(2).compareTo(longest) > 0 ? longest : pause.multipliedBy(2);
            }
        }
    }
}
