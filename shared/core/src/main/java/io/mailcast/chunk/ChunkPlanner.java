package io.mailcast.chunk;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Cuts an ascending stream of eligible ids into chunks of {@code chunkSize} ids each (the last may be smaller).
 * Ranges tile the planned id span without gaps: the first starts at the lowest eligible id, each next one right after
 * the previous, the last ends at the highest. Sparse ids give ranges of uneven width but even work.
 */
public final class ChunkPlanner implements LongConsumer {

    private final String campaignId;
    private final int chunkSize;
    private final List<ChunkRange> chunks = new ArrayList<>();
    private long nextFirst;
    private long previousId;
    private int inCurrent;
    private long total;

    public ChunkPlanner(String campaignId, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, got " + chunkSize);
        }
        this.campaignId = campaignId;
        this.chunkSize = chunkSize;
    }

    @Override
    public void accept(long id) {
        if (total > 0 && id <= previousId) {
            throw new IllegalArgumentException("ids must arrive in ascending order: " + id + " after " + previousId);
        }
        if (inCurrent == 0 && chunks.isEmpty()) {
            nextFirst = id;
        }
        previousId = id;
        total++;
        if (++inCurrent == chunkSize) {
            chunks.add(new ChunkRange(campaignId, chunks.size(), nextFirst, id, inCurrent));
            inCurrent = 0;
            nextFirst = id + 1;
        }
    }

    /** The chunks; an empty audience yields no chunks. */
    public List<ChunkRange> finish() {
        if (inCurrent > 0) {
            chunks.add(new ChunkRange(campaignId, chunks.size(), nextFirst, previousId, inCurrent));
            inCurrent = 0;
        }
        return List.copyOf(chunks);
    }

    public long eligible() {
        return total;
    }
}
