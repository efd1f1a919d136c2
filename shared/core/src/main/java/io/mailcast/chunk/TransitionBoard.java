package io.mailcast.chunk;

import io.mailcast.subscriber.SubscriberId;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ChunkBoard} made of a keyed table of chunks and a queue of keys: what every board does with those two is
 * written here once. A board supplies the storage and how it applies one {@link ChunkTransition} atomically.
 */
public abstract class TransitionBoard implements ChunkBoard {

    protected final Map<String, ChunkRecord> chunks;
    protected final BlockingQueue<String> queue;

    protected TransitionBoard(Map<String, ChunkRecord> chunks, BlockingQueue<String> queue) {
        this.chunks = chunks;
        this.queue = queue;
    }

    /** Applies {@code transition} atomically to the stored chunk; the new record, or null when not allowed or absent. */
    protected abstract ChunkRecord apply(String key, ChunkTransition transition);

    @Override
    public final void publish(Collection<ChunkRecord> records) {
        for (ChunkRecord r : records) {
            if (chunks.putIfAbsent(r.key(), r) == null && r.state() == ChunkState.QUEUED) {
                queue.offer(r.key());
            }
        }
    }

    @Override
    public final Optional<String> nextKey(Duration wait) throws InterruptedException {
        return Optional.ofNullable(queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public final Optional<ChunkRecord> get(String key) {
        return Optional.ofNullable(chunks.get(key));
    }

    @Override
    public final Set<String> queuedKeys() {
        return new HashSet<>(queue);
    }

    @Override
    public final Optional<ChunkRecord> claim(String key, String node, long now, long leaseMillis) {
        return Optional.ofNullable(apply(key, new ChunkTransition.Claim(node, now, leaseMillis)));
    }

    @Override
    public final boolean checkpoint(ChunkRecord held, long until, SubscriberId reserveThrough, ChunkCounts counts) {
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
            queue.offer(key);
        }
        return changed;
    }
}
