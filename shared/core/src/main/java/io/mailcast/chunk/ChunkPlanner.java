package io.mailcast.chunk;

import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.SubscriberId;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts an ascending stream of eligible ids into chunks of {@code chunkSize} ids each. Ranges of one id kind tile the
 * planned span without gaps: the first starts at the lowest eligible id, each next one right after the previous, the
 * last ends at the highest. A new kind of id (strings after numbers, say) starts a new chunk, because MongoDB answers a
 * range query with ids of one kind only. Sparse ids give ranges of uneven width but even work.
 */
public final class ChunkPlanner implements Consumer<SubscriberId> {

    private final String campaignId;
    private final int chunkSize;
    private final List<ChunkRange> chunks = new ArrayList<>();
    /** Where the open chunk starts: its first id, or the end of the chunk before it (exclusive). */
    private SubscriberId start;
    private boolean startIncluded;
    private SubscriberId previousId;
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
    public void accept(SubscriberId id) {
        if (previousId != null && id.compareTo(previousId) <= 0) {
            throw new IllegalArgumentException("ids must arrive in ascending order: " + id + " after " + previousId);
        }
        if (previousId != null && id.kind() != previousId.kind()) {
            close();
            start = null;
        }
        if (start == null) {
            start = id;
            startIncluded = true;
        }
        previousId = id;
        total++;
        if (++inCurrent == chunkSize) {
            close();
            start = id;
            startIncluded = false;
        }
    }

    private void close() {
        if (inCurrent > 0) {
            chunks.add(new ChunkRange(campaignId, chunks.size(), new IdRange(start, startIncluded, previousId), inCurrent));
            inCurrent = 0;
        }
    }

    /** The chunks; an empty audience yields no chunks. */
    public List<ChunkRange> finish() {
        close();
        return List.copyOf(chunks);
    }

    public long eligible() {
        return total;
    }
}
