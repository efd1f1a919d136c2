package io.mailcast.sender.relay;

import java.time.Instant;

/**
 * Which relays are marked down and how much each is slowed by throttling. Shared by every node of a cluster (see
 * {@code HazelcastRelayHealth}) or local to one process ({@link LocalRelayHealth}). Reads are on every send and must
 * be cheap; writes are rare.
 */
public interface RelayHealth extends AutoCloseable {

    /**
     * Skips {@code relay} until {@code until} (keeps a later mark that is already there).
     *
     * @return whether this call took the relay from up to down at {@code now}. Sends in flight on several threads or
     *         nodes often fail together and all mark the same outage; exactly one of them gets {@code true}, so an
     *         outage is one event however many sends noticed it.
     */
    boolean markDown(String relay, Instant now, Instant until);

    boolean isDown(String relay, Instant now);

    /**
     * Records a throttling reply from {@code relay}: halves its allowed rate unless it was halved very recently.
     *
     * @return the rate factor now in force, in (0, 1]
     */
    double recordThrottle(String relay, Instant now);

    /** Share of the relay's rate allowed now, in (0, 1]; 1 unless it throttled us recently. */
    double rateFactor(String relay, Instant now);

    /** Stops listening for changes; idempotent. */
    @Override
    default void close() {
    }
}
