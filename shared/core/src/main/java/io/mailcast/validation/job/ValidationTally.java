package io.mailcast.validation.job;

import io.mailcast.chunk.ChunkCounts;

/**
 * What a validation chunk (or job) found, kept in the chunk machinery's counters so claims, leases, hand-backs and
 * restores work unchanged. This record is the one place that says which counter holds what.
 *
 * @param verified  addresses with a VALID or UNKNOWN verdict (cached or paid for)
 * @param invalid   addresses with an INVALID verdict, syntax included
 * @param confirmed subscribers marked confirmed: no check needed
 * @param unchecked addresses left without a verdict (the validator kept failing, the deadline passed)
 */
public record ValidationTally(long verified, long invalid, long confirmed, long unchecked) {

    public static final ValidationTally ZERO = new ValidationTally(0, 0, 0, 0);

    public static ValidationTally of(ChunkCounts c) {
        return new ValidationTally(c.sent(), c.invalid(), c.skipped(), c.failed());
    }

    public ChunkCounts toCounts() {
        return new ChunkCounts(verified, unchecked, invalid, 0, confirmed, 0);
    }

    public ValidationTally plus(ValidationTally o) {
        return new ValidationTally(verified + o.verified, invalid + o.invalid, confirmed + o.confirmed,
                unchecked + o.unchecked);
    }
}
