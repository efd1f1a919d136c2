package io.mailcast.chunk;

import io.mailcast.subscriber.Ids;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkSweeperTest {

    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final long LEASE = 30_000;

    private final SettableClock clock = new SettableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final LocalChunkBoard board = new LocalChunkBoard();
    private final Set<String> live = new HashSet<>(Set.of("node-a", "node-b"));
    private final ChunkSweeper sweeper = new ChunkSweeper(board, () -> Set.copyOf(live), clock, GRACE);

    private long t0;

    @BeforeEach
    void setUp() {
        t0 = clock.millis();
    }

    private ChunkRecord publish(String campaign, int index) {
        ChunkRecord chunk = ChunkRecord.queued(new ChunkRange(campaign, index, Ids.closed(index * 10L + 1, index * 10L + 10), 10), clock.millis());
        board.publish(List.of(chunk));
        return chunk;
    }

    /** Publishes and claims, and takes the key off the queue as a node's poll would. */
    private ChunkRecord owned(String campaign, int index, String node, long leaseMillis) throws InterruptedException {
        ChunkRecord chunk = publish(campaign, index);
        drain();
        return board.claim(chunk.key(), node, clock.millis(), leaseMillis).orElseThrow();
    }

    private List<String> drain() throws InterruptedException {
        List<String> keys = new ArrayList<>();
        Optional<String> key;
        while ((key = board.nextKey(Duration.ZERO)).isPresent()) {
            keys.add(key.get());
        }
        return keys;
    }

    private ChunkRecord stored(ChunkRecord c) {
        return board.get(c.key()).orElseThrow();
    }

    @Test
    void chunkOfANodeThatLeftIsReclaimedAndReoffered() throws InterruptedException {
        ChunkRecord held = owned("c", 0, "node-a", LEASE);
        board.checkpoint(held, t0 + LEASE, Ids.id(7), new ChunkCounts(6, 0, 0, 0, 0, 0));
        live.remove("node-a");
        clock.advance(Duration.ofSeconds(1));

        ChunkSweeper.Result result = sweeper.sweep("c");

        assertThat(result).isEqualTo(new ChunkSweeper.Result(1, 0, 1));
        ChunkRecord back = stored(held);
        assertThat(back.state()).isEqualTo(ChunkState.QUEUED);
        assertThat(back.owner()).isNull();
        assertThat(back.reservedThrough()).as("in-doubt recipients stay marked").isEqualTo(Ids.id(7));
        assertThat(back.counts()).isEqualTo(new ChunkCounts(6, 0, 0, 0, 0, 0));
        assertThat(back.queuedAt()).isEqualTo(clock.millis());
        assertThat(drain()).containsExactly(held.key());
    }

    @Test
    void expiredLeaseIsReclaimedEvenWhenTheOwnerIsStillThere() throws InterruptedException {
        ChunkRecord held = owned("c", 0, "node-a", LEASE);

        clock.advance(Duration.ofMillis(LEASE));
        assertThat(sweeper.sweep("c")).as("lease ends exactly now: still valid").isEqualTo(new ChunkSweeper.Result(0, 0, 1));
        assertThat(stored(held)).isEqualTo(held);

        clock.advance(Duration.ofMillis(1));
        assertThat(sweeper.sweep("c")).isEqualTo(new ChunkSweeper.Result(1, 0, 1));
        assertThat(stored(held).state()).isEqualTo(ChunkState.QUEUED);
        assertThat(drain()).containsExactly(held.key());
    }

    @Test
    void liveOwnerWithAValidLeaseIsLeftAlone() throws InterruptedException {
        ChunkRecord held = owned("c", 0, "node-a", LEASE);
        clock.advance(Duration.ofSeconds(29));

        assertThat(sweeper.sweep("c")).isEqualTo(new ChunkSweeper.Result(0, 0, 1));

        assertThat(stored(held)).isEqualTo(held);
        assertThat(board.queuedKeys()).isEmpty();
    }

    @Test
    void renewedLeaseKeepsTheChunk() throws InterruptedException {
        ChunkRecord held = owned("c", 0, "node-a", LEASE);
        clock.advance(Duration.ofSeconds(25));
        board.checkpoint(held, clock.millis() + LEASE, Ids.id(3), ChunkCounts.ZERO);
        clock.advance(Duration.ofSeconds(25));

        assertThat(sweeper.sweep("c").reclaimed()).isZero();
        assertThat(stored(held).state()).isEqualTo(ChunkState.OWNED);
    }

    @Test
    void queuedChunkMissingFromTheQueueIsReofferedOnlyAfterTheGrace() throws InterruptedException {
        ChunkRecord chunk = publish("c", 0);
        assertThat(drain()).containsExactly(chunk.key()); // polled by a node that died before claiming

        clock.advance(GRACE.minusMillis(1));
        assertThat(sweeper.sweep("c")).isEqualTo(new ChunkSweeper.Result(0, 0, 1));
        assertThat(board.queuedKeys()).isEmpty();

        clock.advance(Duration.ofMillis(1));
        assertThat(sweeper.sweep("c")).isEqualTo(new ChunkSweeper.Result(0, 1, 1));
        assertThat(stored(chunk).queuedAt()).isEqualTo(clock.millis());
        assertThat(board.queuedKeys()).containsExactly(chunk.key());

        clock.advance(GRACE.multipliedBy(3));
        assertThat(sweeper.sweep("c").reoffered()).as("its key is in the queue again").isZero();
        assertThat(drain()).containsExactly(chunk.key());
    }

    @Test
    void queuedChunkStillInTheQueueIsNotOfferedTwice() throws InterruptedException {
        ChunkRecord chunk = publish("c", 0);
        clock.advance(GRACE.multipliedBy(10));

        assertThat(sweeper.sweep("c")).isEqualTo(new ChunkSweeper.Result(0, 0, 1));

        assertThat(stored(chunk)).isEqualTo(chunk);
        assertThat(drain()).containsExactly(chunk.key());
    }

    @Test
    void doneChunksAreUntouchedAndNotOpen() throws InterruptedException {
        ChunkRecord held = owned("c", 0, "node-a", LEASE);
        board.complete(held, new ChunkCounts(10, 0, 0, 0, 0, 0));
        ChunkRecord done = stored(held);
        live.clear();
        clock.advance(Duration.ofHours(1));

        assertThat(sweeper.sweep("c")).isEqualTo(new ChunkSweeper.Result(0, 0, 0));

        assertThat(stored(held)).isEqualTo(done);
        assertThat(board.queuedKeys()).isEmpty();
    }

    @Test
    void mixedCampaignCountsEachCaseOnce() throws InterruptedException {
        ChunkRecord done = owned("c", 0, "node-a", LEASE);
        board.complete(done, new ChunkCounts(10, 0, 0, 0, 0, 0));
        ChunkRecord gone = owned("c", 1, "node-gone", LEASE);
        ChunkRecord expired = owned("c", 2, "node-a", 5_000);
        ChunkRecord valid = owned("c", 3, "node-b", 60_000);
        ChunkRecord lost = publish("c", 4);
        drain();
        ChunkRecord otherCampaign = owned("other", 0, "node-gone", LEASE);
        ChunkRecord waiting = publish("c", 5);
        clock.advance(Duration.ofSeconds(20));

        ChunkSweeper.Result result = sweeper.sweep("c");

        assertThat(result).isEqualTo(new ChunkSweeper.Result(2, 1, 5));
        assertThat(stored(gone).state()).isEqualTo(ChunkState.QUEUED);
        assertThat(stored(expired).state()).isEqualTo(ChunkState.QUEUED);
        assertThat(stored(valid)).isEqualTo(valid);
        assertThat(stored(lost).queuedAt()).isEqualTo(clock.millis());
        assertThat(stored(waiting)).isEqualTo(waiting);
        assertThat(stored(otherCampaign)).as("another campaign is not swept").isEqualTo(otherCampaign);
        assertThat(sweeper.sweep("c")).as("a second sweep finds nothing to do").isEqualTo(new ChunkSweeper.Result(0, 0, 5));
        assertThat(drain()).containsExactlyInAnyOrder(waiting.key(), gone.key(), expired.key(), lost.key());
    }

    @Test
    void unknownCampaignSweepsNothing() {
        assertThat(sweeper.sweep("nope")).isEqualTo(new ChunkSweeper.Result(0, 0, 0));
    }
}
