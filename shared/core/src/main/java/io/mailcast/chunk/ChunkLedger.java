package io.mailcast.chunk;

import io.mailcast.subscriber.SubscriberId;
import io.mailcast.time.Sleeper;
import io.mailcast.time.StoreRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one place that writes a chunk to both the board (fast, shared, lost with the cluster) and the durable store, and
 * knows in which order. Store first when the write must survive a restart before anything depends on it (a plan, a
 * claim, a reservation, a reopen); board first when the board is the gate (completion and hand-back: once the board
 * says so, nobody re-runs the chunk, so the store must follow, retried for as long as it takes). When the two disagree,
 * {@link #converge} brings them level: DONE in either is DONE in both.
 */
public final class ChunkLedger {

    private static final Logger log = LoggerFactory.getLogger(ChunkLedger.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(10);

    private final ChunkBoard board;
    private final ChunkStore store;
    private final Clock clock;
    private final StoreRetry storeRetry;

    public ChunkLedger(ChunkBoard board, ChunkStore store, Clock clock, Sleeper sleeper) {
        this.board = board;
        this.store = store;
        this.clock = clock;
        this.storeRetry = new StoreRetry(FIRST_RETRY, LONGEST_RETRY, null, clock, sleeper);
    }

    public ChunkBoard board() {
        return board;
    }

    public ChunkStore store() {
        return store;
    }

    /** A fresh plan: the chunks of an earlier, interrupted planning are dropped, the new ones stored. */
    public void recordPlan(String campaignId, Collection<ChunkRecord> chunks) {
        store.deleteCampaign(campaignId);
        store.insertAll(chunks);
    }

    /** Stored chunks onto the board (after the campaign is RUNNING); idempotent. */
    public void publish(Collection<ChunkRecord> chunks) {
        board.publish(chunks);
    }

    /** The outcome of recording a board claim in the store. */
    public sealed interface Claim {
        /** The store accepted the claim; {@code stored} carries its durable reservation and counters. */
        record Held(ChunkRecord stored) implements Claim {
        }

        /** The store already has the chunk DONE: the board was stale and now says DONE too. Nothing to send. */
        record AlreadyDone() implements Claim {
        }

        /** A later claim is recorded: someone else owns the chunk. */
        record Lost() implements Claim {
        }
    }

    /** Makes a board claim durable; a chunk found DONE in the store is marked DONE on the board under this claim. */
    public Claim recordClaim(ChunkRecord held) {
        Optional<ChunkRecord> stored = store.claimed(held);
        if (stored.isPresent()) {
            return new Claim.Held(stored.get());
        }
        Optional<ChunkRecord> current = store.find(held.key());
        if (current.isPresent() && current.get().state() == ChunkState.DONE) {
            board.complete(held, current.get().counts());
            return new Claim.AlreadyDone();
        }
        return new Claim.Lost();
    }

    /** Raises the reservation before sends beyond it start: the store first, since it survives a whole-cluster restart. */
    public boolean reserve(ChunkRecord held, long until, SubscriberId through, ChunkCounts counts) {
        return store.checkpoint(held, through, counts) && board.checkpoint(held, until, through, counts);
    }

    /** Renews the owner's lease on the board. */
    public boolean renew(ChunkRecord held, long until, SubscriberId reservedThrough, ChunkCounts counts) {
        return board.checkpoint(held, until, reservedThrough, counts);
    }

    /** DONE: the board first (it gates re-runs), then the store, retried until it is written. */
    public boolean complete(ChunkRecord held, ChunkCounts counts) throws InterruptedException {
        return board.complete(held, counts) && persist(held, "completion", () -> store.completed(held, counts));
    }

    /** Clean hand-back: every dispatched send has an outcome. The board first, then the store, retried. */
    public boolean handBack(ChunkRecord held, ChunkCounts counts) throws InterruptedException {
        return board.release(held, clock.millis(), counts) && persist(held, "hand-back", () -> store.released(held, counts));
    }

    /**
     * DONE chunks back to the queue (retry of failures): the store first, then {@code beforeBoard} (forgetting the
     * outcomes to redo), then the board, so no node can run a reopened chunk while those outcomes are still recorded. A
     * board without the entry gets it back from the store through supervision. Returns the chunks reopened.
     */
    public List<ChunkRecord> reopen(Collection<ChunkRecord> done, Runnable beforeBoard) {
        List<ChunkRecord> reopened = done.stream().filter(store::reopened).toList();
        beforeBoard.run();
        long now = clock.millis();
        for (ChunkRecord chunk : reopened) {
            board.get(chunk.key()).ifPresent(onBoard -> board.reopen(onBoard, now));
        }
        return reopened;
    }

    /** Puts the stored chunks missing from the board back on it (after a whole-cluster restart); returns how many. */
    public int restore(String campaignId, Collection<ChunkRecord> onBoard) {
        long now = clock.millis();
        List<ChunkRecord> stored = store.load(campaignId).stream().map(c -> c.restored(now)).toList();
        board.publish(stored);
        return Math.max(0, stored.size() - onBoard.size());
    }

    /** What {@link #converge} changed. */
    public record Convergence(int settledOnBoard, int repairedInStore, List<ChunkRecord> stored) {
        public boolean allDoneInStore(int expectedChunks) {
            return stored.size() >= expectedChunks && stored.stream().allMatch(c -> c.state() == ChunkState.DONE);
        }
    }

    /**
     * Brings board and store level for one campaign: a chunk DONE on the board only (its owner died between the two
     * writes) is recorded in the store; a chunk DONE in the store only (a stale board after a partition, a restart, a
     * lost write) is settled on the board, so it is never reclaimed again.
     */
    public Convergence converge(String campaignId, Collection<ChunkRecord> onBoard) {
        Map<String, ChunkRecord> boardByKey = onBoard.stream().collect(Collectors.toMap(ChunkRecord::key, Function.identity()));
        int repaired = 0;
        int settled = 0;
        List<ChunkRecord> stored = new ArrayList<>();
        for (ChunkRecord inStore : store.load(campaignId)) {
            ChunkRecord inBoard = boardByKey.get(inStore.key());
            boolean doneOnBoard = inBoard != null && inBoard.state() == ChunkState.DONE;
            if (doneOnBoard && inStore.state() != ChunkState.DONE) {
                store.repairDone(inBoard);
                inStore = inBoard;
                repaired++;
            } else if (!doneOnBoard && inStore.state() == ChunkState.DONE && inBoard != null && board.settleDone(inStore)) {
                settled++;
            }
            stored.add(inStore);
        }
        if (repaired + settled > 0) {
            log.warn("campaign={} board and store disagreed: {} chunks DONE on the board only recorded in the store, "
                    + "{} DONE in the store only settled on the board", campaignId, repaired, settled);
        }
        return new Convergence(settled, repaired, stored);
    }

    /** A store write that must follow a board change: retried with back-off while the store is unreachable. */
    private boolean persist(ChunkRecord held, String what, BooleanSupplier write) throws InterruptedException {
        return storeRetry.write(write::getAsBoolean, (e, trying, pause) -> log.warn(
                "campaign={} chunk={} could not record its {} in the store for {} ms ({}); retry in {} ms",
                held.campaignId(), held.index(), what, trying.toMillis(), e.getClass().getSimpleName(), pause.toMillis()));
    }
}
