package io.mailcast.chunk;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A chunk board inside one process, with the same compare-and-set rules as the cluster's. It runs the single-process
 * baseline of the benchmark and unit tests of code that uses a board.
 */
public final class LocalChunkBoard extends TransitionBoard {

    public LocalChunkBoard() {
        super(new ConcurrentHashMap<>(), new LinkedBlockingQueue<>());
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
    public List<ChunkRecord> chunksOf(String campaignId) {
        return chunks.values().stream().filter(c -> c.campaignId().equals(campaignId))
                .sorted(Comparator.comparingInt(ChunkRecord::index)).toList();
    }

    @Override
    public void forget(String campaignId) {
        chunks.values().removeIf(c -> c.campaignId().equals(campaignId));
        queue.removeIf(k -> ChunkKeys.campaignOf(k).equals(campaignId));
    }
}
