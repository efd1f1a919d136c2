package io.mailcast.cluster;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.mailcast.chunk.ChunkKeys;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkTransition;
import io.mailcast.chunk.TransitionBoard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The chunk board on Hazelcast: an IMap of chunk records (the truth) and an IQueue of chunk keys (the hand-out hint).
 * A polled queue item has no acknowledgement, so a key lost with a dying node is recovered by the sweeper from the
 * map's state, never from the queue.
 */
public final class HazelcastChunkBoard extends TransitionBoard {

    public static final String CHUNKS_MAP = "chunks";
    public static final String CHUNK_QUEUE = "chunk-queue";
    public static final String VALIDATION_CHUNKS_MAP = "validation-chunks";
    public static final String VALIDATION_QUEUE = "validation-chunk-queue";

    private final IMap<String, ChunkRecord> map;

    /** The send chunks' board. */
    public HazelcastChunkBoard(HazelcastInstance hazelcast) {
        this(hazelcast.getMap(CHUNKS_MAP), hazelcast.getQueue(CHUNK_QUEUE));
    }

    /** The validation jobs' board: their chunks never reach a send slot. */
    public static HazelcastChunkBoard forValidation(HazelcastInstance hazelcast) {
        return new HazelcastChunkBoard(hazelcast.getMap(VALIDATION_CHUNKS_MAP), hazelcast.getQueue(VALIDATION_QUEUE));
    }

    private HazelcastChunkBoard(IMap<String, ChunkRecord> map, IQueue<String> queue) {
        super(map, queue);
        this.map = map;
    }

    @Override
    protected ChunkRecord apply(String key, ChunkTransition transition) {
        return map.executeOnKey(key, new TransitionProcessor(transition));
    }

    @Override
    public List<ChunkRecord> chunksOf(String campaignId) {
        List<ChunkRecord> result = new ArrayList<>(map.values(Predicates.equal("campaignId", campaignId)));
        result.sort(Comparator.comparingInt(ChunkRecord::index));
        return result;
    }

    @Override
    public void forget(String campaignId) {
        map.removeAll(Predicates.equal("campaignId", campaignId));
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
