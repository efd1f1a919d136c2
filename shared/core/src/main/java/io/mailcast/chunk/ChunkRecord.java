package io.mailcast.chunk;

import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.SubscriberId;

/**
 * The state of one chunk: the shared source of truth for who works on it. The hand-out queue only hints at which
 * chunks to claim; claims, renewals and completion are compare-and-set against {@code owner} and {@code epoch}.
 *
 * @param owner           id of the node holding the chunk, {@code null} unless OWNED
 * @param epoch           incremented by every claim; fences writes of earlier owners
 * @param leaseUntil      epoch millis until which the owner's claim holds without renewal
 * @param queuedAt        epoch millis when the chunk last became QUEUED (used to re-offer lost queue items)
 * @param reservedThrough highest subscriber id an owner may have started sending to; recipients at or below it without
 *                        a recorded outcome are in doubt after a crash. {@code null} ({@link #NOTHING_RESERVED}) before
 *                        the first reservation and after a clean hand-back
 * @param counts          outcomes recorded so far
 */
public record ChunkRecord(
        String campaignId,
        int index,
        IdRange ids,
        int planned,
        ChunkState state,
        String owner,
        long epoch,
        long leaseUntil,
        long queuedAt,
        SubscriberId reservedThrough,
        ChunkCounts counts) {

    public static final SubscriberId NOTHING_RESERVED = null;

    public static ChunkRecord queued(ChunkRange range, long now) {
        return new ChunkRecord(range.campaignId(), range.index(), range.ids(), range.planned(),
                ChunkState.QUEUED, null, 0, 0, now, NOTHING_RESERVED, ChunkCounts.ZERO);
    }

    public String key() {
        return ChunkKeys.of(campaignId, index);
    }

    public boolean isOwnedBy(String node, long expectedEpoch) {
        return state == ChunkState.OWNED && node.equals(owner) && epoch == expectedEpoch;
    }

    public ChunkRecord claimedBy(String node, long now, long leaseMillis) {
        return new ChunkRecord(campaignId, index, ids, planned, ChunkState.OWNED, node, epoch + 1,
                now + leaseMillis, queuedAt, reservedThrough, counts);
    }

    public ChunkRecord renewed(long until, SubscriberId reserveThrough, ChunkCounts newCounts) {
        return new ChunkRecord(campaignId, index, ids, planned, state, owner, epoch, until, queuedAt,
                SubscriberId.max(reservedThrough, reserveThrough), newCounts);
    }

    /** Back to the queue. A clean hand-back clears the reservation: every dispatched send has a recorded outcome. */
    public ChunkRecord requeued(long now, boolean clean, ChunkCounts newCounts) {
        return new ChunkRecord(campaignId, index, ids, planned, ChunkState.QUEUED, null, epoch, 0, now,
                clean ? NOTHING_RESERVED : reservedThrough, newCounts);
    }

    public ChunkRecord done(ChunkCounts finalCounts) {
        return new ChunkRecord(campaignId, index, ids, planned, ChunkState.DONE, null, epoch, 0, queuedAt,
                NOTHING_RESERVED, finalCounts);
    }

    /** DONE at {@code newEpoch}, as the durable store recorded it. */
    public ChunkRecord settledDone(long newEpoch, ChunkCounts finalCounts) {
        return new ChunkRecord(campaignId, index, ids, planned, ChunkState.DONE, null, newEpoch, 0, queuedAt,
                NOTHING_RESERVED, finalCounts);
    }

    /**
     * This stored chunk as the board should hold it after a whole-cluster restart: an OWNED chunk's owner is gone, so
     * it comes back QUEUED with its reservation, which marks its unrecorded recipients as in doubt.
     */
    public ChunkRecord restored(long now) {
        return state == ChunkState.OWNED ? requeued(now, false, counts) : withQueuedAt(now);
    }

    /** A DONE chunk back in the queue, to re-send recipients whose outcomes were cleared (retry of failures). */
    public ChunkRecord reopened(long now) {
        return new ChunkRecord(campaignId, index, ids, planned, ChunkState.QUEUED, null, epoch, 0, now,
                NOTHING_RESERVED, counts);
    }

    public ChunkRecord withQueuedAt(long now) {
        return new ChunkRecord(campaignId, index, ids, planned, state, owner, epoch, leaseUntil, now,
                reservedThrough, counts);
    }
}
