package io.mailcast.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;

/**
 * How two sides of a healed split-brain agree on a chunk: DONE wins (its outcomes are recorded), otherwise the higher
 * epoch (the later claim), otherwise the side being merged into. Hazelcast's default would let the larger side win
 * blindly, and could reopen a finished chunk.
 */
public final class ChunkMergePolicy implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object> {

    @Override
    public Object merge(MergingValue<Object> merging, MergingValue<Object> existing) {
        if (existing == null) {
            return merging.getRawValue();
        }
        ChunkRecord incoming = (ChunkRecord) merging.getDeserializedValue();
        ChunkRecord current = (ChunkRecord) existing.getDeserializedValue();
        return prefersIncoming(incoming, current) ? merging.getRawValue() : existing.getRawValue();
    }

    static boolean prefersIncoming(ChunkRecord incoming, ChunkRecord current) {
        boolean incomingDone = incoming.state() == ChunkState.DONE;
        boolean currentDone = current.state() == ChunkState.DONE;
        if (incomingDone != currentDone) {
            return incomingDone;
        }
        return incoming.epoch() > current.epoch();
    }

    @Override
    public void writeData(ObjectDataOutput out) {
    }

    @Override
    public void readData(ObjectDataInput in) {
    }
}
