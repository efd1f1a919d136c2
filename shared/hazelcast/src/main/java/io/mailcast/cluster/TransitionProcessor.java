package io.mailcast.cluster;

import com.hazelcast.map.EntryProcessor;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkTransition;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;

/** Applies one {@link ChunkTransition} atomically on the partition that owns the chunk; returns the new record or null. */
final class TransitionProcessor implements EntryProcessor<String, ChunkRecord, ChunkRecord>, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final ChunkTransition transition;

    TransitionProcessor(ChunkTransition transition) {
        this.transition = transition;
    }

    @Override
    public ChunkRecord process(Map.Entry<String, ChunkRecord> entry) {
        ChunkRecord current = entry.getValue();
        ChunkRecord next = current == null ? null : transition.next(current);
        if (next != null) {
            entry.setValue(next);
        }
        return next;
    }
}
