package io.mailcast.chunk;

import io.mailcast.subscriber.SubscriberId;

import java.io.Serializable;

/**
 * The chunk state machine, written once: each transition says from which state, for which owner and epoch, a chunk may
 * move, and to what. A board applies one atomically ({@code null} means "not allowed now": the caller lost a race or
 * is stale), in one process or inside the cluster's entry processor; "now" always arrives as data.
 */
public sealed interface ChunkTransition extends Serializable {

    /** The chunk after this transition, or {@code null} when {@code current} does not allow it. */
    ChunkRecord next(ChunkRecord current);

    /** QUEUED → OWNED by {@code node}; the epoch goes up by one. */
    record Claim(String node, long now, long leaseMillis) implements ChunkTransition {
        @Override
        public ChunkRecord next(ChunkRecord c) {
            return c.state() == ChunkState.QUEUED ? c.claimedBy(node, now, leaseMillis) : null;
        }
    }

    /** The owner renews its lease, raises its reservation and stores counters. */
    record Checkpoint(String node, long epoch, long until, SubscriberId reserveThrough, ChunkCounts counts) implements ChunkTransition {
        @Override
        public ChunkRecord next(ChunkRecord c) {
            return c.isOwnedBy(node, epoch) ? c.renewed(until, reserveThrough, counts) : null;
        }
    }

    /** OWNED → DONE by its owner. */
    record Complete(String node, long epoch, ChunkCounts counts) implements ChunkTransition {
        @Override
        public ChunkRecord next(ChunkRecord c) {
            return c.isOwnedBy(node, epoch) ? c.done(counts) : null;
        }
    }

    /** OWNED → QUEUED by its owner, every dispatched send recorded: the reservation is cleared. */
    record Release(String node, long epoch, long now, ChunkCounts counts) implements ChunkTransition {
        @Override
        public ChunkRecord next(ChunkRecord c) {
            return c.isOwnedBy(node, epoch) ? c.requeued(now, true, counts) : null;
        }
    }

    /**
     * OWNED → QUEUED, taken from the owner, epoch and lease the sweeper saw (a renewal since then wins); the
     * reservation stays, marking the in-doubt sends.
     */
    record Reclaim(String owner, long epoch, long leaseUntil, long now) implements ChunkTransition {
        @Override
        public ChunkRecord next(ChunkRecord c) {
            return c.isOwnedBy(owner, epoch) && c.leaseUntil() == leaseUntil ? c.requeued(now, false, c.counts()) : null;
        }
    }

    /** A QUEUED chunk whose queue item was lost is stamped again (and re-offered by the board). */
    record Reoffer(long queuedAt, long now) implements ChunkTransition {
        @Override
        public ChunkRecord next(ChunkRecord c) {
            return c.state() == ChunkState.QUEUED && c.queuedAt() == queuedAt ? c.withQueuedAt(now) : null;
        }
    }

    /** DONE → QUEUED for a retry of failures. */
    record Reopen(long epoch, long now) implements ChunkTransition {
        @Override
        public ChunkRecord next(ChunkRecord c) {
            return c.state() == ChunkState.DONE && c.epoch() == epoch ? c.reopened(now) : null;
        }
    }

    /**
     * Any state → DONE because the durable store already holds the chunk DONE (a stale board after a partition or a
     * lost write): whatever this board believes, the work is finished. The epoch never goes down.
     */
    record SettleDone(long storedEpoch, ChunkCounts counts) implements ChunkTransition {
        @Override
        public ChunkRecord next(ChunkRecord c) {
            return c.state() == ChunkState.DONE ? null : c.settledDone(Math.max(c.epoch(), storedEpoch), counts);
        }
    }
}
