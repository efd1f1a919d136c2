package io.mailcast.cluster;

import com.hazelcast.map.EntryProcessor;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;

/**
 * The compare-and-set operations on one chunk entry. Each runs atomically on the entry's partition thread and is
 * re-applied on backups, so every input (including "now") travels in the processor; none reads a clock. Each returns
 * the new value, or {@code null} when its precondition failed.
 */
final class ChunkProcessors {

    private ChunkProcessors() {
    }

    /** Base: apply {@link #next} to the current value and store it when non-null. */
    abstract static class Cas implements EntryProcessor<String, ChunkRecord, ChunkRecord>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public ChunkRecord process(Map.Entry<String, ChunkRecord> entry) {
            ChunkRecord current = entry.getValue();
            ChunkRecord next = current == null ? null : next(current);
            if (next != null) {
                entry.setValue(next);
            }
            return next;
        }

        abstract ChunkRecord next(ChunkRecord current);
    }

    static final class Claim extends Cas {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String node;
        private final long now;
        private final long leaseMillis;

        Claim(String node, long now, long leaseMillis) {
            this.node = node;
            this.now = now;
            this.leaseMillis = leaseMillis;
        }

        @Override
        ChunkRecord next(ChunkRecord c) {
            return c.state() == ChunkState.QUEUED ? c.claimedBy(node, now, leaseMillis) : null;
        }
    }

    static final class Checkpoint extends Cas {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String node;
        private final long epoch;
        private final long until;
        private final long reserveThrough;
        private final ChunkCounts counts;

        Checkpoint(String node, long epoch, long until, long reserveThrough, ChunkCounts counts) {
            this.node = node;
            this.epoch = epoch;
            this.until = until;
            this.reserveThrough = reserveThrough;
            this.counts = counts;
        }

        @Override
        ChunkRecord next(ChunkRecord c) {
            return c.isOwnedBy(node, epoch) ? c.renewed(until, reserveThrough, counts) : null;
        }
    }

    static final class Complete extends Cas {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String node;
        private final long epoch;
        private final ChunkCounts counts;

        Complete(String node, long epoch, ChunkCounts counts) {
            this.node = node;
            this.epoch = epoch;
            this.counts = counts;
        }

        @Override
        ChunkRecord next(ChunkRecord c) {
            return c.isOwnedBy(node, epoch) ? c.done(counts) : null;
        }
    }

    static final class Release extends Cas {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String node;
        private final long epoch;
        private final long now;
        private final ChunkCounts counts;

        Release(String node, long epoch, long now, ChunkCounts counts) {
            this.node = node;
            this.epoch = epoch;
            this.now = now;
            this.counts = counts;
        }

        @Override
        ChunkRecord next(ChunkRecord c) {
            return c.isOwnedBy(node, epoch) ? c.requeued(now, true, counts) : null;
        }
    }

    /**
     * Takes an OWNED chunk from the owner, epoch and lease the sweeper saw (a renewal since then wins); keeps the
     * reservation (in-doubt sends).
     */
    static final class Reclaim extends Cas {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String owner;
        private final long epoch;
        private final long leaseUntil;
        private final long now;

        Reclaim(String owner, long epoch, long leaseUntil, long now) {
            this.owner = owner;
            this.epoch = epoch;
            this.leaseUntil = leaseUntil;
            this.now = now;
        }

        @Override
        ChunkRecord next(ChunkRecord c) {
            return c.isOwnedBy(owner, epoch) && c.leaseUntil() == leaseUntil ? c.requeued(now, false, c.counts()) : null;
        }
    }

    static final class Reoffer extends Cas {
        @Serial
        private static final long serialVersionUID = 1L;
        private final long queuedAt;
        private final long now;

        Reoffer(long queuedAt, long now) {
            this.queuedAt = queuedAt;
            this.now = now;
        }

        @Override
        ChunkRecord next(ChunkRecord c) {
            return c.state() == ChunkState.QUEUED && c.queuedAt() == queuedAt ? c.withQueuedAt(now) : null;
        }
    }

    static final class Reopen extends Cas {
        @Serial
        private static final long serialVersionUID = 1L;
        private final long epoch;
        private final long now;

        Reopen(long epoch, long now) {
            this.epoch = epoch;
            this.now = now;
        }

        @Override
        ChunkRecord next(ChunkRecord c) {
            return c.state() == ChunkState.DONE && c.epoch() == epoch ? c.reopened(now) : null;
        }
    }
}
