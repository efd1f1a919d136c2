package io.mailcast.cluster;

import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRange;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.subscriber.Ids;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkMergePolicyTest {

    private final ChunkRecord queued = ChunkRecord.queued(new ChunkRange("c", 0, Ids.closed(1, 100), 100), 0);
    private final ChunkRecord ownedEpoch1 = queued.claimedBy("a", 1, 1000);
    private final ChunkRecord ownedEpoch2 = ownedEpoch1.requeued(2, false, ChunkCounts.ZERO).claimedBy("b", 3, 1000);
    private final ChunkRecord doneEpoch1 = ownedEpoch1.done(new ChunkCounts(100, 0, 0, 0, 0, 0));

    @Test
    void doneWinsOverAnyOpenStateWhateverItsEpoch() {
        assertThat(ChunkMergePolicy.prefersIncoming(doneEpoch1, ownedEpoch2)).isTrue();
        assertThat(ChunkMergePolicy.prefersIncoming(ownedEpoch2, doneEpoch1)).isFalse();
    }

    @Test
    void otherwiseTheLaterClaimWinsAndTiesKeepTheExisting() {
        assertThat(ChunkMergePolicy.prefersIncoming(ownedEpoch2, ownedEpoch1)).isTrue();
        assertThat(ChunkMergePolicy.prefersIncoming(ownedEpoch1, ownedEpoch2)).isFalse();
        assertThat(ChunkMergePolicy.prefersIncoming(ownedEpoch1, ownedEpoch1)).isFalse();
    }
}
