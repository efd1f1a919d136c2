package io.mailcast.validation;

import java.time.Instant;

/**
 * The verdict cache with a claim per address, shared by the cluster: whoever holds an address's lease is the only one
 * allowed to pay for its check. A crashed holder's lease runs out and the address can be claimed again.
 */
public interface VerdictStore extends VerdictLookup {

    /** The answer to a claim. */
    sealed interface Claim {
        /** The caller holds the address until {@code leaseUntil} and may call the validator. */
        record Taken() implements Claim {
        }

        /** A verdict is cached and fresh: nothing to pay. */
        record Cached(CachedVerdict verdict) implements Claim {
        }

        /** Someone else holds the lease (a check is under way elsewhere); ask again later. */
        record HeldElsewhere() implements Claim {
        }
    }

    /**
     * Claims the address for {@code holder} unless a fresh verdict exists or another holder's lease is running; a
     * holder claiming again extends its own lease.
     */
    Claim claim(String address, String holder, Instant now, Instant leaseUntil);

    /**
     * Stores the verdict and ends the lease, if {@code holder} still holds it.
     *
     * @return false when the lease had passed to someone else: the verdict is dropped, theirs will follow
     */
    boolean record(String address, String holder, CachedVerdict verdict);

    /** Ends the holder's lease without a verdict (the validator kept failing, the budget ran out). */
    void release(String address, String holder, Instant now);
}
