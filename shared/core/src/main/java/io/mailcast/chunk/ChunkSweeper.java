package io.mailcast.chunk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The recovery policy for orphaned chunks, run by the supervising node: a chunk whose owner left the cluster or let its
 * lease expire goes back to the queue (its reservation kept, so in-doubt recipients are counted as uncertain); a queued
 * chunk whose queue item vanished (polled by a node that died before claiming) is offered again.
 */
public final class ChunkSweeper {

    private static final Logger log = LoggerFactory.getLogger(ChunkSweeper.class);

    private final ChunkBoard board;
    private final Supplier<Set<String>> liveNodes;
    private final Clock clock;
    private final Duration lostItemGrace;

    /**
     * @param lostItemGrace how long a QUEUED chunk may be missing from the queue before it is offered again; covers the
     *                      moment between a node's poll and its claim
     */
    public ChunkSweeper(ChunkBoard board, Supplier<Set<String>> liveNodes, Clock clock, Duration lostItemGrace) {
        this.board = board;
        this.liveNodes = liveNodes;
        this.clock = clock;
        this.lostItemGrace = lostItemGrace;
    }

    public record Result(int reclaimed, int reoffered, int open) {
    }

    public Result sweep(String campaignId) {
        return sweep(campaignId, board.chunksOf(campaignId));
    }

    /** Sweeps chunks the caller has just read from the board, sparing a second read. */
    public Result sweep(String campaignId, List<ChunkRecord> chunks) {
        long now = clock.millis();
        Set<String> live = liveNodes.get();
        Set<String> inQueue = null;
        int reclaimed = 0;
        int reoffered = 0;
        int open = 0;
        for (ChunkRecord chunk : chunks) {
            switch (chunk.state()) {
                case DONE -> {
                }
                case OWNED -> {
                    open++;
                    boolean ownerGone = !live.contains(chunk.owner());
                    if ((ownerGone || chunk.leaseUntil() < now) && board.reclaim(chunk, now)) {
                        reclaimed++;
                        log.warn("campaign={} chunk={} reclaimed from {} ({}), epoch {}", campaignId, chunk.index(),
                                chunk.owner(), ownerGone ? "node left the cluster" : "lease expired", chunk.epoch());
                    }
                }
                case QUEUED -> {
                    open++;
                    if (now - chunk.queuedAt() < lostItemGrace.toMillis()) {
                        continue;
                    }
                    if (inQueue == null) {
                        inQueue = board.queuedKeys();
                    }
                    if (!inQueue.contains(chunk.key()) && board.reoffer(chunk, now)) {
                        reoffered++;
                        log.info("campaign={} chunk={} re-offered (queue item lost)", campaignId, chunk.index());
                    }
                }
            }
        }
        return new Result(reclaimed, reoffered, open);
    }
}
