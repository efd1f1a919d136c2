package io.mailcast.chunk;

import io.mailcast.subscriber.Ids;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules every {@link ChunkBoard} follows. A subclass supplies a fresh, empty board per test; writes go through
 * {@link #board()}, and reads that check the outcome go through {@link #observer()} (another cluster member for a
 * distributed board).
 */
public abstract class ChunkBoardContract {

    protected static final long T0 = 1_700_000_000_000L;
    protected static final long LEASE = 30_000;
    protected static final Duration SHORT_WAIT = Duration.ofMillis(50);

    private ChunkBoard board;
    private ChunkBoard observer;

    /** A board with no chunks and an empty queue. */
    protected abstract ChunkBoard newBoard();

    /** A view of the same board through which results are checked; the board itself by default. */
    protected ChunkBoard observerOf(ChunkBoard board) {
        return board;
    }

    /** The board a concurrent worker uses; by default everyone shares {@link #board()}. */
    protected ChunkBoard boardForWorker(int worker) {
        return board;
    }

    @BeforeEach
    final void freshBoard() {
        board = newBoard();
        observer = observerOf(board);
    }

    protected final ChunkBoard board() {
        return board;
    }

    protected final ChunkBoard observer() {
        return observer;
    }

    protected static ChunkRecord queued(String campaignId, int index, long queuedAt) {
        return ChunkRecord.queued(new ChunkRange(campaignId, index, Ids.closed(index * 100L + 1, index * 100L + 100), 100), queuedAt);
    }

    protected static List<ChunkRecord> queuedChunks(String campaignId, int n) {
        List<ChunkRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(queued(campaignId, i, T0));
        }
        return records;
    }

    /** Polls the queue until it stays empty for a short wait. */
    protected final List<String> drainQueue() throws InterruptedException {
        List<String> keys = new ArrayList<>();
        Optional<String> key;
        while ((key = board.nextKey(SHORT_WAIT)).isPresent()) {
            keys.add(key.get());
        }
        return keys;
    }

    private ChunkRecord stored(String key) {
        return observer.get(key).orElseThrow(() -> new AssertionError("no chunk " + key + " on the board"));
    }

    private ChunkRecord claimed(ChunkRecord chunk, String node, long now) {
        return board.claim(chunk.key(), node, now, LEASE).orElseThrow(() -> new AssertionError("claim of " + chunk.key() + " failed"));
    }

    // ---- publish and hand-out ----

    @Test
    void publishStoresChunksAndOffersEachQueuedKeyOnce() throws InterruptedException {
        List<ChunkRecord> chunks = queuedChunks("c1", 3);

        board.publish(chunks);
        board.publish(chunks);

        assertThat(observer.queuedKeys()).containsExactlyInAnyOrder("c1/000000", "c1/000001", "c1/000002");
        assertThat(drainQueue()).containsExactlyInAnyOrder("c1/000000", "c1/000001", "c1/000002");
        assertThat(observer.chunksOf("c1")).containsExactlyElementsOf(chunks);
    }

    @Test
    void publishNeverOverwritesAStoredChunkNorReoffersIt() throws InterruptedException {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));
        drainQueue();
        ChunkRecord held = claimed(chunk, "node-a", T0);

        board.publish(List.of(chunk));

        assertThat(stored(chunk.key())).isEqualTo(held);
        assertThat(observer.queuedKeys()).isEmpty();
    }

    @Test
    void publishStoresDoneChunksWithoutOfferingThem() {
        ChunkRecord done = queued("c1", 0, T0).done(new ChunkCounts(100, 0, 0, 0, 0, 0));
        ChunkRecord open = queued("c1", 1, T0);

        board.publish(List.of(done, open));

        assertThat(observer.queuedKeys()).containsExactly(open.key());
        assertThat(stored(done.key()).state()).isEqualTo(ChunkState.DONE);
    }

    @Test
    void nextKeyReturnsEmptyAfterWaitingOnAnEmptyQueue() throws InterruptedException {
        long start = System.nanoTime();

        assertThat(board.nextKey(Duration.ofMillis(100))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(80));
    }

    // ---- claim ----

    @Test
    void claimOwnsTheChunkUnderALeaseWithTheNextEpoch() {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));

        ChunkRecord held = claimed(chunk, "node-a", T0 + 5);

        assertThat(held.state()).isEqualTo(ChunkState.OWNED);
        assertThat(held.owner()).isEqualTo("node-a");
        assertThat(held.epoch()).isEqualTo(1);
        assertThat(held.leaseUntil()).isEqualTo(T0 + 5 + LEASE);
        assertThat(stored(chunk.key())).isEqualTo(held);
    }

    @Test
    void claimFailsWhenTheChunkIsNotQueuedOrUnknown() {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));
        ChunkRecord held = claimed(chunk, "node-a", T0);

        assertThat(board.claim(chunk.key(), "node-b", T0, LEASE)).isEmpty();
        assertThat(board.claim(chunk.key(), "node-a", T0, LEASE)).as("not even the owner claims twice").isEmpty();
        assertThat(board.claim("c1/999999", "node-a", T0, LEASE)).isEmpty();
        assertThat(observer.get("c1/999999")).isEmpty();
        assertThat(stored(chunk.key())).isEqualTo(held);

        assertThat(board.complete(held, ChunkCounts.ZERO)).isTrue();
        assertThat(board.claim(chunk.key(), "node-b", T0, LEASE)).as("DONE chunk").isEmpty();
    }

    @Test
    void exactlyOneOfManyConcurrentClaimsWins() throws Exception {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Optional<ChunkRecord>>> claims = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String node = "node-" + i;
            ChunkBoard mine = boardForWorker(i);
            claims.add(() -> {
                start.await();
                return mine.claim(chunk.key(), node, T0, LEASE);
            });
        }

        List<ChunkRecord> winners = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Optional<ChunkRecord>>> results = new ArrayList<>();
            for (Callable<Optional<ChunkRecord>> claim : claims) {
                results.add(pool.submit(claim));
            }
            start.countDown();
            for (Future<Optional<ChunkRecord>> result : results) {
                result.get(30, TimeUnit.SECONDS).ifPresent(winners::add);
            }
        }

        assertThat(winners).hasSize(1);
        assertThat(winners.getFirst().epoch()).isEqualTo(1);
        assertThat(stored(chunk.key())).isEqualTo(winners.getFirst());
    }

    @Test
    void everyChunkIsClaimedExactlyOnceByConcurrentWorkers() throws Exception {
        int chunks = 200;
        int workers = 6;
        board.publish(queuedChunks("fuzz", chunks));
        List<String> keys = queuedChunks("fuzz", chunks).stream().map(ChunkRecord::key).toList();
        Map<String, String> winners = new ConcurrentHashMap<>();
        AtomicInteger doubleWins = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);

        try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String node = "node-" + w;
                ChunkBoard mine = boardForWorker(w);
                // Everyone walks the same shuffled order, so workers race for the same key at the same time.
                List<String> order = new ArrayList<>(keys);
                Collections.shuffle(order, new Random(42));
                done.add(pool.submit(() -> {
                    start.await();
                    for (String key : order) {
                        if (mine.claim(key, node, T0, LEASE).isPresent() && winners.putIfAbsent(key, node) != null) {
                            doubleWins.incrementAndGet();
                        }
                        Thread.yield();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        assertThat(doubleWins).hasValue(0);
        assertThat(winners).hasSize(chunks);
        for (ChunkRecord c : observer.chunksOf("fuzz")) {
            assertThat(c.state()).isEqualTo(ChunkState.OWNED);
            assertThat(c.epoch()).isEqualTo(1);
            assertThat(c.owner()).isEqualTo(winners.get(c.key()));
        }
    }

    @Test
    void queueHandsEachKeyToOneOfManyConcurrentPollers() throws Exception {
        int chunks = 200;
        int workers = 6;
        board.publish(queuedChunks("poll", chunks));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger claims = new AtomicInteger();

        try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String node = "node-" + w;
                ChunkBoard mine = boardForWorker(w);
                done.add(pool.submit(() -> {
                    Optional<String> key;
                    while ((key = mine.nextKey(SHORT_WAIT)).isPresent()) {
                        if (!seen.add(key.get())) {
                            duplicates.incrementAndGet();
                        }
                        if (mine.claim(key.get(), node, T0, LEASE).isPresent()) {
                            claims.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        assertThat(duplicates).hasValue(0);
        assertThat(seen).hasSize(chunks);
        assertThat(claims).hasValue(chunks);
        assertThat(observer.queuedKeys()).isEmpty();
    }

    // ---- fenced writes of the owner ----

    @Test
    void checkpointRenewsTheLeaseRaisesTheReservationAndStoresCounts() {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));
        ChunkRecord held = claimed(chunk, "node-a", T0);
        ChunkCounts counts = new ChunkCounts(10, 2, 1, 0, 0, 0);

        assertThat(board.checkpoint(held, T0 + 60_000, Ids.id(150), counts)).isTrue();
        assertThat(board.checkpoint(held, T0 + 90_000, Ids.id(120), counts.plusUncertain(1))).as("lower reservation").isTrue();

        ChunkRecord now = stored(chunk.key());
        assertThat(now.leaseUntil()).isEqualTo(T0 + 90_000);
        assertThat(now.reservedThrough()).as("a reservation never goes down").isEqualTo(Ids.id(150));
        assertThat(now.counts()).isEqualTo(new ChunkCounts(10, 2, 1, 0, 0, 1));
        assertThat(now.owner()).isEqualTo("node-a");
        assertThat(now.epoch()).isEqualTo(1);
    }

    @Test
    void writesByAWrongOwnerFailAndChangeNothing() throws InterruptedException {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));
        drainQueue();
        ChunkRecord held = claimed(chunk, "node-a", T0);
        ChunkRecord impostor = new ChunkRecord(held.campaignId(), held.index(), held.ids(),
                held.planned(), ChunkState.OWNED, "node-b", held.epoch(), held.leaseUntil(), held.queuedAt(),
                held.reservedThrough(), held.counts());

        assertThat(board.checkpoint(impostor, T0 + 60_000, Ids.id(150), new ChunkCounts(1, 0, 0, 0, 0, 0))).isFalse();
        assertThat(board.complete(impostor, new ChunkCounts(1, 0, 0, 0, 0, 0))).isFalse();
        assertThat(board.release(impostor, T0, new ChunkCounts(1, 0, 0, 0, 0, 0))).isFalse();
        assertThat(board.reclaim(impostor, T0)).isFalse();

        assertThat(stored(chunk.key())).isEqualTo(held);
        assertThat(observer.queuedKeys()).doesNotContain(chunk.key());
    }

    @Test
    void writesWithAStaleEpochFailAfterTheChunkChangedHands() throws InterruptedException {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));
        drainQueue();
        ChunkRecord first = claimed(chunk, "node-a", T0);
        assertThat(board.reclaim(first, T0 + 40_000)).isTrue();
        drainQueue();
        // The same node claims again: only the epoch tells its two claims apart.
        ChunkRecord second = claimed(chunk, "node-a", T0 + 41_000);
        assertThat(second.epoch()).isEqualTo(first.epoch() + 1);

        assertThat(board.checkpoint(first, T0 + 99_000, Ids.id(180), new ChunkCounts(9, 9, 9, 0, 0, 9))).isFalse();
        assertThat(board.complete(first, new ChunkCounts(9, 9, 9, 0, 0, 9))).isFalse();
        assertThat(board.release(first, T0 + 42_000, new ChunkCounts(9, 9, 9, 0, 0, 9))).isFalse();
        assertThat(board.reclaim(first, T0 + 42_000)).isFalse();

        assertThat(stored(chunk.key())).isEqualTo(second);
        assertThat(observer.queuedKeys()).isEmpty();
    }

    @Test
    void completeMarksTheChunkDoneAndClearsOwnerAndReservation() {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));
        ChunkRecord held = claimed(chunk, "node-a", T0);
        board.checkpoint(held, T0 + 60_000, Ids.id(180), new ChunkCounts(50, 0, 0, 0, 0, 0));

        assertThat(board.complete(held, new ChunkCounts(97, 2, 1, 0, 0, 0))).isTrue();

        ChunkRecord done = stored(chunk.key());
        assertThat(done.state()).isEqualTo(ChunkState.DONE);
        assertThat(done.owner()).isNull();
        assertThat(done.reservedThrough()).isEqualTo(ChunkRecord.NOTHING_RESERVED);
        assertThat(done.counts()).isEqualTo(new ChunkCounts(97, 2, 1, 0, 0, 0));
        assertThat(board.complete(held, ChunkCounts.ZERO)).as("completing twice").isFalse();
        assertThat(stored(chunk.key()).counts()).isEqualTo(new ChunkCounts(97, 2, 1, 0, 0, 0));
    }

    @Test
    void settleDoneMarksAStaleOwnedChunkDoneWithTheStoredCountsAndNeverLowersTheEpoch() {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));
        ChunkRecord staleHeld = claimed(chunk, "node-stale", T0);
        ChunkRecord doneInStore = chunk.settledDone(staleHeld.epoch() + 3, new ChunkCounts(98, 1, 1, 0, 0, 2));

        assertThat(board.settleDone(doneInStore)).isTrue();

        ChunkRecord settled = stored(chunk.key());
        assertThat(settled.state()).isEqualTo(ChunkState.DONE);
        assertThat(settled.owner()).isNull();
        assertThat(settled.epoch()).isEqualTo(staleHeld.epoch() + 3);
        assertThat(settled.counts()).isEqualTo(new ChunkCounts(98, 1, 1, 0, 0, 2));
        assertThat(board.checkpoint(staleHeld, T0 + LEASE, Ids.id(150), ChunkCounts.ZERO)).as("the stale owner is fenced out").isFalse();
        assertThat(board.reclaim(settled, T0 + 2 * LEASE)).as("a DONE chunk is never reclaimed").isFalse();
        assertThat(board.settleDone(doneInStore)).as("settling twice").isFalse();
    }

    // ---- hand-back and recovery ----

    @Test
    void releaseRequeuesCleanlyAndReoffers() throws InterruptedException {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));
        drainQueue();
        ChunkRecord held = claimed(chunk, "node-a", T0);
        board.checkpoint(held, T0 + 60_000, Ids.id(150), new ChunkCounts(40, 0, 0, 0, 0, 0));

        assertThat(board.release(held, T0 + 10_000, new ChunkCounts(49, 1, 0, 0, 0, 0))).isTrue();

        ChunkRecord back = stored(chunk.key());
        assertThat(back.state()).isEqualTo(ChunkState.QUEUED);
        assertThat(back.owner()).isNull();
        assertThat(back.queuedAt()).isEqualTo(T0 + 10_000);
        assertThat(back.reservedThrough()).isEqualTo(ChunkRecord.NOTHING_RESERVED);
        assertThat(back.counts()).isEqualTo(new ChunkCounts(49, 1, 0, 0, 0, 0));
        assertThat(observer.queuedKeys()).containsExactly(chunk.key());
        assertThat(board.release(held, T0 + 11_000, ChunkCounts.ZERO)).as("releasing twice").isFalse();
        assertThat(drainQueue()).containsExactly(chunk.key());
    }

    @Test
    void reclaimRequeuesKeepingTheReservationAndCounts() throws InterruptedException {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));
        drainQueue();
        ChunkRecord held = claimed(chunk, "node-a", T0);
        board.checkpoint(held, T0 + 60_000, Ids.id(150), new ChunkCounts(40, 0, 0, 0, 0, 0));
        ChunkRecord seen = stored(chunk.key());

        assertThat(board.reclaim(seen, T0 + 70_000)).isTrue();

        ChunkRecord back = stored(chunk.key());
        assertThat(back.state()).isEqualTo(ChunkState.QUEUED);
        assertThat(back.owner()).isNull();
        assertThat(back.queuedAt()).isEqualTo(T0 + 70_000);
        assertThat(back.reservedThrough()).isEqualTo(Ids.id(150));
        assertThat(back.counts()).isEqualTo(new ChunkCounts(40, 0, 0, 0, 0, 0));
        assertThat(observer.queuedKeys()).containsExactly(chunk.key());

        ChunkRecord next = claimed(chunk, "node-b", T0 + 71_000);
        assertThat(next.epoch()).isEqualTo(2);
        assertThat(next.reservedThrough()).as("the next owner sees what is in doubt").isEqualTo(Ids.id(150));
        assertThat(board.reclaim(seen, T0 + 72_000)).as("reclaim with a stale view").isFalse();
        assertThat(stored(chunk.key())).isEqualTo(next);
    }

    /**
     * The sweeper decides from a snapshot that the lease expired; if the owner renews before the reclaim lands, the
     * chunk changed meanwhile and the reclaim must lose ({@link ChunkBoard#reclaim}: "False when the chunk changed
     * meanwhile"), or a live owner is robbed of a chunk it just renewed.
     */
    @Test
    void reclaimFailsWhenTheOwnerRenewedAfterTheSnapshot() throws InterruptedException {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));
        drainQueue();
        ChunkRecord held = claimed(chunk, "node-a", T0);
        ChunkRecord seenBySweeper = stored(chunk.key());
        assertThat(board.checkpoint(held, T0 + LEASE + 60_000, Ids.id(120), new ChunkCounts(5, 0, 0, 0, 0, 0))).isTrue();

        assertThat(board.reclaim(seenBySweeper, T0 + LEASE + 1)).isFalse();

        assertThat(stored(chunk.key()).state()).isEqualTo(ChunkState.OWNED);
        assertThat(observer.queuedKeys()).isEmpty();
    }

    @Test
    void reofferOnlyWhenQueuedAtIsUnchanged() throws InterruptedException {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));
        drainQueue();

        assertThat(board.reoffer(chunk, T0 + 5_000)).isTrue();
        assertThat(stored(chunk.key()).queuedAt()).isEqualTo(T0 + 5_000);
        assertThat(stored(chunk.key()).state()).isEqualTo(ChunkState.QUEUED);
        assertThat(observer.queuedKeys()).containsExactly(chunk.key());

        assertThat(board.reoffer(chunk, T0 + 6_000)).as("a second sweeper with the old view").isFalse();
        assertThat(stored(chunk.key()).queuedAt()).isEqualTo(T0 + 5_000);
        assertThat(drainQueue()).containsExactly(chunk.key());
    }

    @Test
    void reofferFailsForAChunkThatIsNoLongerQueued() throws InterruptedException {
        ChunkRecord chunk = queued("c1", 0, T0);
        board.publish(List.of(chunk));
        drainQueue();
        ChunkRecord held = claimed(chunk, "node-a", T0);

        assertThat(board.reoffer(chunk, T0 + 5_000)).isFalse();
        assertThat(stored(chunk.key())).isEqualTo(held);
        assertThat(observer.queuedKeys()).isEmpty();
        assertThat(board.reoffer(queued("c1", 7, T0), T0 + 5_000)).as("unknown chunk").isFalse();
    }

    // ---- queries and cleanup ----

    @Test
    void chunksOfListsOneCampaignSortedByIndex() {
        List<ChunkRecord> mine = new ArrayList<>(queuedChunks("c1", 12));
        Collections.shuffle(mine, new Random(7));
        board.publish(mine);
        board.publish(queuedChunks("c10", 3));
        board.publish(queuedChunks("c", 2));

        assertThat(observer.chunksOf("c1")).extracting(ChunkRecord::index)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(observer.chunksOf("c10")).hasSize(3);
        assertThat(observer.chunksOf("nope")).isEmpty();
    }

    @Test
    void forgetRemovesOneCampaignsChunksAndQueueItems() {
        board.publish(queuedChunks("c1", 4));
        board.publish(queuedChunks("c10", 2));

        board.forget("c1");

        assertThat(observer.chunksOf("c1")).isEmpty();
        assertThat(observer.get("c1/000000")).isEmpty();
        assertThat(observer.queuedKeys()).containsExactlyInAnyOrder("c10/000000", "c10/000001");
        assertThat(observer.chunksOf("c10")).hasSize(2);
    }

    @Test
    void forgetWithNothingQueuedRemovesTheChunks() throws InterruptedException {
        board.publish(queuedChunks("c1", 2));
        drainQueue();

        board.forget("c1");

        assertThat(observer.chunksOf("c1")).isEmpty();
    }
}
