package io.mailcast.cluster;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.mailcast.chunk.ChunkKeys;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkTransition;
import io.mailcast.chunk.TransitionBoard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The chunk board on Hazelcast: an IMap of chunk records (the truth) and an IQueue of chunk keys (the hand-out hint).
 * A polled queue item has no acknowledgement, so a key lost with a dying node is recovered by the sweeper from the
 * map's state, never from the queue.
 */
public final class HazelcastChunkBoard extends TransitionBoard {

    public static final String CHUNKS_MAP = "chunks";
    public static final String CHUNK_QUEUE = "chunk-queue";

    private final IMap<String, ChunkRecord> chunks;
    private final IQueue<String> queue;

    public HazelcastChunkBoard(HazelcastInstance hazelcast) {
        this.chunks = hazelcast.getMap(CHUNKS_MAP);
        this.queue = hazelcast.getQueue(CHUNK_QUEUE);
    }

    @Override
    protected boolean putIfAbsent(ChunkRecord chunk) {
        return chunks.putIfAbsent(chunk.key(), chunk) == null;
    }

    @Override
    protected ChunkRecord apply(String key, ChunkTransition transition) {
        return chunks.executeOnKey(key, new TransitionProcessor(transition));
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
        List<ChunkRecord> result = new ArrayList<>(chunks.values(Predicates.equal("campaignId", campaignId)));
        result.sort(Comparator.comparingInt(ChunkRecord::index));
        return result;
    }

    @Override
    public Set<String> queuedKeys() {
        return new HashSet<>(queue);
    }

    @Override
    public void forget(String campaignId) {
        chunks.removeAll(Predicates.equal("campaignId", campaignId));
        // Hazelcast's queue iterator does not remove: collect, then removeAll.
        List<String> keys = new ArrayList<>();
        for (String key : queue) {
            if (ChunkKeys.campaignOf(key).equals(campaignId)) {
                keys.add(key);
            }
        }
        queue.removeAll(keys);
    }
}
