package io.mailcast.chunk;

import java.time.Duration;
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
public final class LocalChunkBoard extends TransitionBoard {

    private final Map<String, ChunkRecord> chunks = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();

    @Override
    protected boolean putIfAbsent(ChunkRecord chunk) {
        return chunks.putIfAbsent(chunk.key(), chunk) == null;
    }

    @Override
    protected ChunkRecord apply(String key, ChunkTransition transition) {
        ChunkRecord[] result = new ChunkRecord[1];
        chunks.computeIfPresent(key, (k, current) -> {
            ChunkRecord next = transition.next(current);
            result[0] = next;
            return next == null ? current : next;
        });
        return result[0];
    }

    @Override
    protected void offer(String key) {
        queue.offer(key);
    }

    @Override
    protected Optional<String> poll(Duration wait) throws InterruptedException {
        return Optional.ofNullable(queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
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
}
