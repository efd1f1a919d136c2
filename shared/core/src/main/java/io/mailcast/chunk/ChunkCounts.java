package io.mailcast.chunk;

import java.io.Serializable;

/**
 * Outcome counters of a chunk or a whole campaign.
 *
 * @param suppressed recipients not mailed because their address is on the suppression list
 * @param skipped    recipients not mailed because another subscriber of the campaign has the same address (or
 *                   another reason a campaign gives, such as a reminder already sent)
 * @param uncertain  sends that may have happened twice: recipients that were in flight on a node that died, re-sent by
 *                   the next owner. Each takeover adds its own, so duplicates never exceed this figure.
 * @param unverified recipients not mailed because the campaign requires validation and their address is neither
 *                   confirmed nor checked-valid (outcome UNVERIFIED)
 */
public record ChunkCounts(long sent, long failed, long invalid, long suppressed, long skipped, long uncertain,
                          long unverified) implements Serializable {

    public static final ChunkCounts ZERO = new ChunkCounts(0, 0, 0, 0, 0, 0, 0);

    /** Counts without unverified recipients (campaigns that do not require validation). */
    public ChunkCounts(long sent, long failed, long invalid, long suppressed, long skipped, long uncertain) {
        this(sent, failed, invalid, suppressed, skipped, uncertain, 0);
    }

    public long finished() {
        return sent + failed + invalid + suppressed + skipped + unverified;
    }

    public ChunkCounts plus(ChunkCounts o) {
        return new ChunkCounts(sent + o.sent, failed + o.failed, invalid + o.invalid, suppressed + o.suppressed,
                skipped + o.skipped, uncertain + o.uncertain, unverified + o.unverified);
    }

    public ChunkCounts plusUncertain(long n) {
        return new ChunkCounts(sent, failed, invalid, suppressed, skipped, uncertain + n, unverified);
    }
}
