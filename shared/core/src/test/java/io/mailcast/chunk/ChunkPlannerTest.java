package io.mailcast.chunk;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkPlannerTest {

    private static List<ChunkRange> plan(int chunkSize, long... ids) {
        ChunkPlanner planner = new ChunkPlanner("c", chunkSize);
        for (long id : ids) {
            planner.accept(id);
        }
        List<ChunkRange> chunks = planner.finish();
        assertThat(planner.eligible()).isEqualTo(ids.length);
        return chunks;
    }

    @Test
    void denseIdsGiveEqualRangesOfChunkSize() {
        List<ChunkRange> chunks = plan(100, LongStream.rangeClosed(1, 1000).toArray());

        assertThat(chunks).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(chunks.get(i)).isEqualTo(new ChunkRange("c", i, 100L * i + 1, 100L * (i + 1), 100));
        }
        assertThat(chunks.get(3).key()).isEqualTo("c/000003");
    }

    @Test
    void lastChunkHoldsTheRemainder() {
        List<ChunkRange> chunks = plan(100, LongStream.rangeClosed(1, 250).toArray());

        assertThat(chunks).extracting(ChunkRange::planned).containsExactly(100, 100, 50);
        assertThat(chunks.get(2)).isEqualTo(new ChunkRange("c", 2, 201, 250, 50));
    }

    @Test
    void sparseIdsGiveUnevenRangesWithEvenWork() {
        List<ChunkRange> chunks = plan(2, 5, 7, 100, 1000, 1_000_000_000_000L);

        assertThat(chunks).containsExactly(
                new ChunkRange("c", 0, 5, 7, 2),
                new ChunkRange("c", 1, 8, 1000, 2),
                new ChunkRange("c", 2, 1001, 1_000_000_000_000L, 1));
    }

    @Test
    void hugeGapsUpToTheLargestIdDoNotOverflow() {
        List<ChunkRange> chunks = plan(2, 0, 1L << 40, 1L << 62, Long.MAX_VALUE - 1, Long.MAX_VALUE);

        assertThat(chunks).containsExactly(
                new ChunkRange("c", 0, 0, 1L << 40, 2),
                new ChunkRange("c", 1, (1L << 40) + 1, Long.MAX_VALUE - 1, 2),
                new ChunkRange("c", 2, Long.MAX_VALUE, Long.MAX_VALUE, 1));
        assertTiles(chunks, new long[]{0, 1L << 40, 1L << 62, Long.MAX_VALUE - 1, Long.MAX_VALUE}, 2);
    }

    @Test
    void chunkSizeOneGivesOneChunkPerIdCoveringTheGapBeforeIt() {
        List<ChunkRange> chunks = plan(1, 3, 9, 10);

        assertThat(chunks).containsExactly(
                new ChunkRange("c", 0, 3, 3, 1),
                new ChunkRange("c", 1, 4, 9, 1),
                new ChunkRange("c", 2, 10, 10, 1));
    }

    @Test
    void exactMultipleLeavesNoEmptyTrailingChunk() {
        List<ChunkRange> chunks = plan(3, 1, 2, 3, 4, 5, 6);

        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(1).lastId()).isEqualTo(6);
    }

    @Test
    void singleIdGivesOneChunk() {
        assertThat(plan(100, 42)).containsExactly(new ChunkRange("c", 0, 42, 42, 1));
    }

    @Test
    void emptyAudienceGivesNoChunks() {
        ChunkPlanner planner = new ChunkPlanner("c", 100);

        assertThat(planner.finish()).isEmpty();
        assertThat(planner.eligible()).isZero();
    }

    @Test
    void rangesTileTheSpanForRandomSparseAudiences() {
        SplittableRandom random = new SplittableRandom(20250101);
        for (int round = 0; round < 200; round++) {
            int n = random.nextInt(1, 500);
            int chunkSize = random.nextInt(1, 60);
            long[] ids = new long[n];
            long id = random.nextLong(0, 1_000);
            for (int i = 0; i < n; i++) {
                ids[i] = id;
                id += random.nextInt(4) == 0 ? random.nextLong(1, 1_000_000) : random.nextLong(1, 3);
            }
            assertTiles(plan(chunkSize, ids), ids, chunkSize);
        }
    }

    /** Ranges start at the lowest id, end at the highest, abut, and each holds exactly the ids it claims to plan. */
    private static void assertTiles(List<ChunkRange> chunks, long[] ids, int chunkSize) {
        assertThat(chunks).hasSize((ids.length + chunkSize - 1) / chunkSize);
        assertThat(chunks.getFirst().firstId()).isEqualTo(ids[0]);
        assertThat(chunks.getLast().lastId()).isEqualTo(ids[ids.length - 1]);
        long total = 0;
        for (int i = 0; i < chunks.size(); i++) {
            ChunkRange c = chunks.get(i);
            assertThat(c.index()).isEqualTo(i);
            assertThat(c.campaignId()).isEqualTo("c");
            assertThat(c.firstId()).isLessThanOrEqualTo(c.lastId());
            if (i > 0) {
                assertThat(c.firstId()).as("chunk %d starts right after chunk %d", i, i - 1)
                        .isEqualTo(chunks.get(i - 1).lastId() + 1);
            }
            if (i < chunks.size() - 1) {
                assertThat(c.planned()).isEqualTo(chunkSize);
            }
            long inRange = LongStream.of(ids).filter(x -> x >= c.firstId() && x <= c.lastId()).count();
            assertThat(inRange).as("ids inside chunk %d", i).isEqualTo(c.planned());
            total += c.planned();
        }
        assertThat(total).isEqualTo(ids.length);
    }

    @Test
    void idsOutOfOrderAreRejectedNamingBothIds() {
        ChunkPlanner planner = new ChunkPlanner("c", 10);
        planner.accept(5);

        assertThatThrownBy(() -> planner.accept(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ascending")
                .hasMessageContaining("3 after 5");
    }

    @Test
    void duplicateIdIsRejected() {
        ChunkPlanner planner = new ChunkPlanner("c", 10);
        planner.accept(5);

        assertThatThrownBy(() -> planner.accept(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 after 5");
    }

    @Test
    void outOfOrderIsDetectedAcrossChunkBoundaries() {
        ChunkPlanner planner = new ChunkPlanner("c", 2);
        planner.accept(10);
        planner.accept(20);

        assertThatThrownBy(() -> planner.accept(15)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chunkSizeBelowOneIsRejected() {
        assertThatThrownBy(() -> new ChunkPlanner("c", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }

    @Test
    void negativeAndZeroIdsArePlannedLikeAnyOther() {
        List<ChunkRange> chunks = plan(2, -3, 0, 4);

        assertThat(chunks).containsExactly(new ChunkRange("c", 0, -3, 0, 2), new ChunkRange("c", 1, 1, 4, 1));
    }
}
