package io.mailcast.chunk;

import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.SubscriberId;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static io.mailcast.subscriber.Ids.after;
import static io.mailcast.subscriber.Ids.closed;
import static io.mailcast.subscriber.Ids.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkPlannerTest {

    private static List<ChunkRange> plan(int chunkSize, long... ids) {
        return plan(chunkSize, LongStream.of(ids).mapToObj(SubscriberId::of).toList());
    }

    private static List<ChunkRange> plan(int chunkSize, List<SubscriberId> ids) {
        ChunkPlanner planner = new ChunkPlanner("c", chunkSize);
        ids.forEach(planner);
        List<ChunkRange> chunks = planner.finish();
        assertThat(planner.eligible()).isEqualTo(ids.size());
        return chunks;
    }

    @Test
    void denseIdsGiveEqualRangesOfChunkSizeEachStartingAfterThePrevious() {
        List<ChunkRange> chunks = plan(100, LongStream.rangeClosed(1, 1000).toArray());

        assertThat(chunks).hasSize(10);
        assertThat(chunks.getFirst()).isEqualTo(new ChunkRange("c", 0, closed(1, 100), 100));
        for (int i = 1; i < 10; i++) {
            assertThat(chunks.get(i)).isEqualTo(new ChunkRange("c", i, after(100L * i, 100L * (i + 1)), 100));
        }
        assertThat(chunks.get(3).key()).isEqualTo("c/000003");
    }

    @Test
    void lastChunkHoldsTheRemainder() {
        List<ChunkRange> chunks = plan(100, LongStream.rangeClosed(1, 250).toArray());

        assertThat(chunks).extracting(ChunkRange::planned).containsExactly(100, 100, 50);
        assertThat(chunks.get(2)).isEqualTo(new ChunkRange("c", 2, after(200, 250), 50));
    }

    @Test
    void sparseIdsGiveUnevenRangesWithEvenWork() {
        List<ChunkRange> chunks = plan(2, 5, 7, 100, 1000, 1_000_000_000_000L);

        assertThat(chunks).containsExactly(
                new ChunkRange("c", 0, closed(5, 7), 2),
                new ChunkRange("c", 1, after(7, 1000), 2),
                new ChunkRange("c", 2, after(1000, 1_000_000_000_000L), 1));
    }

    @Test
    void extremeIdsArePlanned() {
        List<ChunkRange> chunks = plan(2, Long.MIN_VALUE, 0, 1L << 62, Long.MAX_VALUE - 1, Long.MAX_VALUE);

        assertThat(chunks).containsExactly(
                new ChunkRange("c", 0, closed(Long.MIN_VALUE, 0), 2),
                new ChunkRange("c", 1, after(0, Long.MAX_VALUE - 1), 2),
                new ChunkRange("c", 2, after(Long.MAX_VALUE - 1, Long.MAX_VALUE), 1));
    }

    @Test
    void aNewKindOfIdStartsANewChunkThatIncludesItsFirstId() {
        List<SubscriberId> ids = List.of(id(1), SubscriberId.ofDouble(2.5), id(3), SubscriberId.ofString("a"),
                SubscriberId.ofString("b"), SubscriberId.ofObjectId("65f000000000000000000001"), SubscriberId.ofDate(0));

        List<ChunkRange> chunks = plan(2, ids);

        assertThat(chunks).extracting(ChunkRange::ids).containsExactly(
                IdRange.closed(id(1), SubscriberId.ofDouble(2.5)),
                IdRange.after(SubscriberId.ofDouble(2.5), id(3)),
                IdRange.closed(SubscriberId.ofString("a"), SubscriberId.ofString("b")),
                IdRange.of(SubscriberId.ofObjectId("65f000000000000000000001")),
                IdRange.of(SubscriberId.ofDate(0)));
        assertThat(chunks).extracting(ChunkRange::planned).containsExactly(2, 1, 2, 1, 1);
    }

    @Test
    void singleIdGivesOneChunk() {
        assertThat(plan(100, 42)).containsExactly(new ChunkRange("c", 0, closed(42, 42), 1));
    }

    @Test
    void emptyAudienceGivesNoChunks() {
        ChunkPlanner planner = new ChunkPlanner("c", 100);

        assertThat(planner.finish()).isEmpty();
        assertThat(planner.eligible()).isZero();
    }

    /** The property: whatever the ids, every id lies in exactly one chunk, and each chunk holds what it planned. */
    @Test
    void randomMixedIdSetsTileIntoChunksCoveringEveryIdExactlyOnce() {
        SplittableRandom random = new SplittableRandom(20261201);
        for (int round = 0; round < 300; round++) {
            TreeSet<SubscriberId> set = new TreeSet<>();
            int n = random.nextInt(1, 400);
            while (set.size() < n) {
                set.add(randomId(random));
            }
            List<SubscriberId> ids = new ArrayList<>(set);
            int chunkSize = random.nextInt(1, 50);
            List<ChunkRange> chunks = plan(chunkSize, ids);
            for (SubscriberId id : ids) {
                assertThat(chunks.stream().filter(c -> c.ids().contains(id)).count())
                        .as("chunks holding %s (round %d)", id, round).isEqualTo(1);
            }
            for (ChunkRange c : chunks) {
                assertThat(ids.stream().filter(c.ids()::contains).count()).isEqualTo(c.planned());
                assertThat(c.planned()).isLessThanOrEqualTo(chunkSize);
            }
            assertThat(chunks).extracting(ChunkRange::index).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, chunks.size()).boxed().toList());
        }
    }

    private static SubscriberId randomId(SplittableRandom random) {
        return switch (random.nextInt(7)) {
            case 0 -> id(random.nextLong(-1_000, 1_000_000));
            case 1 -> SubscriberId.ofDouble(random.nextInt(-1000, 1000) / 4.0);
            case 2 -> SubscriberId.ofNumber(new BigDecimal(random.nextLong(0, 10_000)).movePointLeft(3));
            case 3 -> SubscriberId.ofString(Long.toString(random.nextLong(0, 100_000), 36));
            case 4 -> SubscriberId.ofObjectId(String.format("%024x", random.nextLong(0, Long.MAX_VALUE)));
            case 5 -> SubscriberId.ofDate(random.nextLong(-1_000_000_000_000L, 2_000_000_000_000L));
            default -> SubscriberId.ofBinary(4, LongStream.range(0, 16).mapToObj(i -> (byte) random.nextInt(256))
                    .collect(java.io.ByteArrayOutputStream::new, (o, b) -> o.write(b), (a, b) -> { }).toByteArray());
        };
    }

    @Test
    void idsOutOfOrderAreRejectedNamingBothIds() {
        ChunkPlanner planner = new ChunkPlanner("c", 10);
        planner.accept(id(5));

        assertThatThrownBy(() -> planner.accept(id(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ascending")
                .hasMessageContaining("3 after 5");
    }

    @Test
    void duplicateIdIsRejected() {
        ChunkPlanner planner = new ChunkPlanner("c", 10);
        planner.accept(id(5));

        assertThatThrownBy(() -> planner.accept(id(5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 after 5");
    }

    @Test
    void outOfOrderIsDetectedAcrossChunkBoundariesAndKinds() {
        ChunkPlanner planner = new ChunkPlanner("c", 2);
        planner.accept(id(10));
        planner.accept(SubscriberId.ofString("x"));

        assertThatThrownBy(() -> planner.accept(id(15))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chunkSizeBelowOneIsRejected() {
        assertThatThrownBy(() -> new ChunkPlanner("c", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
