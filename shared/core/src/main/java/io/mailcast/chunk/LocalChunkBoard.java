package io.mailcast.chunk;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A chunk board inside one process, with the same compare-and-set rules as the cluster's. It runs the single-process
 * baseline of the benchmark and unit tests of code that uses a board.
 */
public final class LocalChunkBoard implements ChunkBoard {

    private final Map<String, ChunkRecord> chunks = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();

    @Override
    public void publish(Collection<ChunkRecord> records) {
        for (ChunkRecord r : records) {
            if (chunks.putIfAbsent(r.key(), r) == null && r.state() == ChunkState.QUEUED) {
                queue.offer(r.key());
            }
        }
    }

    @Override
    public Optional<String> nextKey(Duration wait) throws InterruptedException {
        return Optional.ofNullable(queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public Optional<ChunkRecord> claim(String key, String node, long now, long leaseMillis) {
        return Optional.ofNullable(apply(key, new ChunkTransition.Claim(node, now, leaseMillis)));
    }

    @Override
    public boolean checkpoint(ChunkRecord held, long until, long reserveThrough, ChunkCounts counts) {
        return apply(held.key(), new ChunkTransition.Checkpoint(held.owner(), held.epoch(), until, reserveThrough, counts)) != null;
    }

    @Override
    public boolean complete(ChunkRecord held, ChunkCounts counts) {
        return apply(held.key(), new ChunkTransition.Complete(held.owner(), held.epoch(), counts)) != null;
    }

    @Override
    public boolean release(ChunkRecord held, long now, ChunkCounts counts) {
        return offered(held.key(), apply(held.key(), new ChunkTransition.Release(held.owner(), held.epoch(), now, counts)));
    }

    @Override
    public boolean reclaim(ChunkRecord expected, long now) {
        return offered(expected.key(), apply(expected.key(),
                new ChunkTransition.Reclaim(expected.owner(), expected.epoch(), expected.leaseUntil(), now)));
    }

    @Override
    public boolean reoffer(ChunkRecord expected, long now) {
        return offered(expected.key(), apply(expected.key(), new ChunkTransition.Reoffer(expected.queuedAt(), now)));
    }

    @Override
    public boolean reopen(ChunkRecord expected, long now) {
        return offered(expected.key(), apply(expected.key(), new ChunkTransition.Reopen(expected.epoch(), now)));
    }

    @Override
    public boolean settleDone(ChunkRecord doneInStore) {
        return apply(doneInStore.key(), new ChunkTransition.SettleDone(doneInStore.epoch(), doneInStore.counts())) != null;
    }

    @Override
    public Optional<ChunkRecord> get(String key) {
        return Optional.ofNullable(chunks.get(key));
    }

    @Override
    public List<ChunkRecord> chunksOf(String campaignId) {
        return chunks.values().stream().filter(c -> c.campaignId().equals(campaignId))
                .sorted(Comparator.comparingInt(ChunkRecord::index)).toList();
    }

    @Override
    public Set<String> queuedKeys() {
        return new HashSet<>(queue);
    }

    @Override
    public void forget(String campaignId) {
        chunks.values().removeIf(c -> c.campaignId().equals(campaignId));
        queue.removeIf(k -> ChunkKeys.campaignOf(k).equals(campaignId));
    }

    private ChunkRecord apply(String key, ChunkTransition transition) {
        ChunkRecord[] result = new ChunkRecord[1];
        chunks.computeIfPresent(key, (k, current) -> {
            ChunkRecord next = transition.next(current);
            result[0] = next;
            return next == null ? current : next;
        });
        return result[0];
    }

    private boolean offered(String key, ChunkRecord changed) {
        if (changed != null) {
            queue.offer(key);
        }
        return changed != null;
    }
}
