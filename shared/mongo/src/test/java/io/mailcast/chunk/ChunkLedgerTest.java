package io.mailcast.chunk;

import io.mailcast.store.MongoChunkStore;
import io.mailcast.subscriber.Ids;
import io.mailcast.testing.MongoFixture;
import io.mailcast.testing.SettableClock;
import io.mailcast.time.Sleeper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Board and store written in the right order, and brought level when they disagree (the real store, a local board). */
class ChunkLedgerTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final long LEASE = 30_000;

    private final SettableClock clock = new SettableClock();
    private LocalChunkBoard board;
    private MongoChunkStore store;
    private ChunkLedger ledger;

    @BeforeEach
    void fresh() {
        mongo.dropAll();
        board = new LocalChunkBoard();
        store = new MongoChunkStore(mongo.connection());
        ledger = new ChunkLedger(board, store, clock, Sleeper.SYSTEM);
    }

    private List<ChunkRecord> plan(int n) {
        List<ChunkRecord> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            chunks.add(ChunkRecord.queued(new ChunkRange("c1", i, Ids.closed(i * 10L + 1, i * 10L + 10), 10), clock.millis()));
        }
        ledger.recordPlan("c1", chunks);
        ledger.publish(chunks);
        return chunks;
    }

    private ChunkRecord claim(ChunkRecord chunk, String node) {
        return board.claim(chunk.key(), node, clock.millis(), LEASE).orElseThrow();
    }

    @Test
    void aClaimOnAStaleBoardOfAChunkDoneInTheStoreSettlesTheBoard() throws InterruptedException {
        ChunkRecord chunk = plan(1).getFirst();
        ChunkRecord first = claim(chunk, "node-a");
        assertThat(ledger.recordClaim(first)).isInstanceOf(ChunkLedger.Claim.Held.class);
        assertThat(ledger.complete(first, new ChunkCounts(10, 0, 0, 0, 0, 0))).isTrue();
        // The other side of a partition: its board never saw the completion and hands the chunk out again.
        LocalChunkBoard staleBoard = new LocalChunkBoard();
        staleBoard.publish(List.of(chunk));
        ChunkLedger staleSide = new ChunkLedger(staleBoard, store, clock, Sleeper.SYSTEM);
        ChunkRecord second = staleBoard.claim(chunk.key(), "node-b", clock.millis(), LEASE).orElseThrow();

        assertThat(staleSide.recordClaim(second)).isInstanceOf(ChunkLedger.Claim.AlreadyDone.class);

        assertThat(staleBoard.get(chunk.key()).orElseThrow().state()).isEqualTo(ChunkState.DONE);
        assertThat(store.find(chunk.key()).orElseThrow().counts()).isEqualTo(new ChunkCounts(10, 0, 0, 0, 0, 0));
    }

    @Test
    void aLaterClaimInTheStoreLosesTheEarlierOne() {
        ChunkRecord chunk = plan(1).getFirst();
        ChunkRecord held = claim(chunk, "node-a");
        ChunkRecord later = new ChunkRecord(held.campaignId(), held.index(), held.ids(), held.planned(),
                ChunkState.OWNED, "node-b", held.epoch() + 1, 0, 0, ChunkRecord.NOTHING_RESERVED, ChunkCounts.ZERO);
        assertThat(store.claimed(later)).isPresent();

        assertThat(ledger.recordClaim(held)).isInstanceOf(ChunkLedger.Claim.Lost.class);
    }

    @Test
    void convergeSettlesStaleBoardEntriesAndRecordsBoardOnlyCompletions() {
        List<ChunkRecord> chunks = plan(3);
        // Chunk 0: DONE in the store, still OWNED on this board (a stale side). Chunk 1: DONE on the board only.
        ChunkRecord stale = claim(chunks.get(0), "node-a");
        store.claimed(stale);
        store.completed(stale, new ChunkCounts(9, 1, 0, 0, 0, 0));
        ChunkRecord boardOnly = claim(chunks.get(1), "node-a");
        store.claimed(boardOnly);
        board.complete(boardOnly, new ChunkCounts(10, 0, 0, 0, 0, 0));

        ChunkLedger.Convergence level = ledger.converge("c1", board.chunksOf("c1"));

        assertThat(level.settledOnBoard()).isEqualTo(1);
        assertThat(level.repairedInStore()).isEqualTo(1);
        assertThat(board.get(chunks.get(0).key()).orElseThrow().state()).isEqualTo(ChunkState.DONE);
        assertThat(store.find(chunks.get(1).key()).orElseThrow().state()).isEqualTo(ChunkState.DONE);
        assertThat(level.allDoneInStore(3)).as("chunk 2 is still queued").isFalse();
        assertThat(ledger.converge("c1", board.chunksOf("c1")).settledOnBoard()).as("level now").isZero();
    }

    @Test
    void aCampaignIsDoneWhenEveryChunkIsDoneInTheStoreWhateverTheBoardSays() {
        List<ChunkRecord> chunks = plan(2);
        for (ChunkRecord c : chunks) {
            ChunkRecord held = claim(c, "node-a");
            store.claimed(held);
            store.completed(held, new ChunkCounts(10, 0, 0, 0, 0, 0));
        }

        ChunkLedger.Convergence level = ledger.converge("c1", board.chunksOf("c1"));

        assertThat(level.allDoneInStore(2)).isTrue();
        assertThat(board.chunksOf("c1")).allMatch(c -> c.state() == ChunkState.DONE);
    }
}
