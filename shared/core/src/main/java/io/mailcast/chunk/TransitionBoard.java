package io.mailcast.chunk;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * A {@link ChunkBoard} made of a keyed table that applies one {@link ChunkTransition} atomically and a queue of keys:
 * what every board does with those two is written here once; a board supplies only the storage.
 */
public abstract class TransitionBoard implements ChunkBoard {

    /** Stores the chunk unless its key is present; true when it was stored. */
    protected abstract boolean putIfAbsent(ChunkRecord chunk);

    /** Applies {@code transition} atomically to the stored chunk; the new record, or null when not allowed or absent. */
    protected abstract ChunkRecord apply(String key, ChunkTransition transition);

    protected abstract void offer(String key);

    protected abstract Optional<String> poll(Duration wait) throws InterruptedException;

    @Override
    public final void publish(Collection<ChunkRecord> chunks) {
        for (ChunkRecord r : chunks) {
            if (putIfAbsent(r) && r.state() == ChunkState.QUEUED) {
                offer(r.key());
            }
        }
    }

    @Override
    public final Optional<String> nextKey(Duration wait) throws InterruptedException {
        return poll(wait);
    }

    @Override
    public final Optional<ChunkRecord> claim(String key, String node, long now, long leaseMillis) {
        return Optional.ofNullable(apply(key, new ChunkTransition.Claim(node, now, leaseMillis)));
    }

    @Override
    public final boolean checkpoint(ChunkRecord held, long until, long reserveThrough, ChunkCounts counts) {
        return apply(held.key(),
                new ChunkTransition.Checkpoint(held.owner(), held.epoch(), until, reserveThrough, counts)) != null;
    }

    @Override
    public final boolean complete(ChunkRecord held, ChunkCounts counts) {
        return apply(held.key(), new ChunkTransition.Complete(held.owner(), held.epoch(), counts)) != null;
    }

    @Override
    public final boolean release(ChunkRecord held, long now, ChunkCounts counts) {
        return offered(held.key(), new ChunkTransition.Release(held.owner(), held.epoch(), now, counts));
    }

    @Override
    public final boolean reclaim(ChunkRecord expected, long now) {
        return offered(expected.key(),
                new ChunkTransition.Reclaim(expected.owner(), expected.epoch(), expected.leaseUntil(), now));
    }

    @Override
    public final boolean reoffer(ChunkRecord expected, long now) {
        return offered(expected.key(), new ChunkTransition.Reoffer(expected.queuedAt(), now));
    }

    @Override
    public final boolean reopen(ChunkRecord expected, long now) {
        return offered(expected.key(), new ChunkTransition.Reopen(expected.epoch(), now));
    }

    @Override
    public final boolean settleDone(ChunkRecord doneInStore) {
        return apply(doneInStore.key(), new ChunkTransition.SettleDone(doneInStore.epoch(), doneInStore.counts())) != null;
    }

    /** Applies a transition that puts the chunk back in the queue, and offers its key when it did. */
    private boolean offered(String key, ChunkTransition transition) {
        boolean changed = apply(key, transition) != null;
        if (changed) {
            offer(key);
        }
        return changed;
    }
}
