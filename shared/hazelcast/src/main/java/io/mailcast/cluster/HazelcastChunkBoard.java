package io.mailcast.cluster;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.mailcast.chunk.ChunkBoard;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkKeys;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.chunk.ChunkTransition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
public final class HazelcastChunkBoard implements ChunkBoard {

    public static final String CHUNKS_MAP = "chunks";
    public static final String CHUNK_QUEUE = "chunk-queue";

    private final IMap<String, ChunkRecord> chunks;
    private final IQueue<String> queue;

    public HazelcastChunkBoard(HazelcastInstance hazelcast) {
        this.chunks = hazelcast.getMap(CHUNKS_MAP);
        this.queue = hazelcast.getQueue(CHUNK_QUEUE);
    }

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
        return apply(held.key(),
                new ChunkTransition.Checkpoint(held.owner(), held.epoch(), until, reserveThrough, counts)) != null;
    }

    @Override
    public boolean complete(ChunkRecord held, ChunkCounts counts) {
        return apply(held.key(), new ChunkTransition.Complete(held.owner(), held.epoch(), counts)) != null;
    }

    @Override
    public boolean release(ChunkRecord held, long now, ChunkCounts counts) {
        boolean released = apply(held.key(), new ChunkTransition.Release(held.owner(), held.epoch(), now, counts)) != null;
        if (released) {
            queue.offer(held.key());
        }
        return released;
    }

    @Override
    public boolean reclaim(ChunkRecord expected, long now) {
        boolean reclaimed = apply(expected.key(),
                new ChunkTransition.Reclaim(expected.owner(), expected.epoch(), expected.leaseUntil(), now)) != null;
        if (reclaimed) {
            queue.offer(expected.key());
        }
        return reclaimed;
    }

    @Override
    public boolean reoffer(ChunkRecord expected, long now) {
        boolean stamped = apply(expected.key(), new ChunkTransition.Reoffer(expected.queuedAt(), now)) != null;
        if (stamped) {
            queue.offer(expected.key());
        }
        return stamped;
    }

    @Override
    public boolean reopen(ChunkRecord expected, long now) {
        boolean reopened = apply(expected.key(), new ChunkTransition.Reopen(expected.epoch(), now)) != null;
        if (reopened) {
            queue.offer(expected.key());
        }
        return reopened;
    }

    @Override
    public boolean settleDone(ChunkRecord doneInStore) {
        return apply(doneInStore.key(), new ChunkTransition.SettleDone(doneInStore.epoch(), doneInStore.counts())) != null;
    }

    private ChunkRecord apply(String key, ChunkTransition transition) {
        return chunks.executeOnKey(key, new TransitionProcessor(transition));
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
