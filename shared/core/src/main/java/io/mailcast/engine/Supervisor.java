package io.mailcast.engine;


import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.campaign.CampaignStore;
import io.mailcast.chunk.ChunkBoard;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkLedger;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.chunk.ChunkStore;
import io.mailcast.chunk.ChunkSweeper;
import io.mailcast.schedule.ScheduleFirer;
import io.mailcast.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Campaign supervision, active on exactly one node at a time: the oldest cluster member. Every run it restores chunks
 * missing from the board (after a whole-cluster restart, or a submitter that died mid-publish), sweeps orphaned chunks
 * back to the queue, and completes campaigns whose chunks are all done. Any node takes over when the oldest leaves, so
 * supervision does not depend on the coordinator process.
 */
public final class Supervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    /** A submitter publishes right after marking the campaign RUNNING; give it this long before restoring chunks. */
    private static final Duration RESTORE_AFTER = Duration.ofSeconds(10);
    /** How often a running campaign's stored chunks are compared with the board when the board shows work left. */
    static final Duration STORE_CHECK_EVERY = Duration.ofSeconds(30);

    private final CampaignStore campaigns;
    private final ChunkLedger ledger;
    private final ChunkBoard board;
    private final ChunkSweeper sweeper;
    private final BooleanSupplier isLeader;
    private final Clock clock;
    private final Duration interval;
    private final FailurePolicy failurePolicy;
    private final ReactionPolicy reactionPolicy;
    private final OrphanedPlanning planning;
    /** Fires due schedule slots, or {@code null} on an engine without schedules. */
    private final ScheduleFirer schedules;
    private final QuietFailures failures;
    private final Map<String, Long> lastStoreCheck = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("supervisor").daemon().factory());

    public Supervisor(CampaignStore campaigns, ChunkStore chunkStore, ChunkBoard board, ChunkSweeper sweeper,
                      BooleanSupplier isLeader, Clock clock, Duration interval, FailurePolicy failurePolicy,
                      OrphanedPlanning planning, ReactionPolicy reactionPolicy,
                      ScheduleFirer schedules) {
        this.campaigns = campaigns;
        this.ledger = new ChunkLedger(board, chunkStore, clock, Sleeper.SYSTEM);
        this.board = board;
        this.sweeper = sweeper;
        this.isLeader = isLeader;
        this.clock = clock;
        this.interval = interval;
        this.failurePolicy = failurePolicy;
        this.reactionPolicy = reactionPolicy;
        this.planning = planning;
        this.schedules = schedules;
        this.failures = new QuietFailures(log, clock);
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::runSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a pass soon, for example when a member left. */
    public void wakeUp() {
        executor.execute(this::runSafely);
    }

    private void runSafely() {
        try {
            if (isLeader.getAsBoolean()) {
                superviseAll();
                failures.recovered();
            }
        } catch (Throwable t) {
            failures.failed("supervision pass (retried every interval)", t);
        }
    }

    /**
     * One pass: fires due schedule slots, then goes over all running campaigns and over planning whose planner died;
     * public for tests that drive it.
     */
    public void superviseAll() {
        if (schedules != null) {
            schedules.fireDue();
        }
        for (Campaign campaign : campaigns.inStates(CampaignState.RUNNING)) {
            MDC.put("campaign", campaign.id());
            try {
                supervise(campaign);
            } finally {
                MDC.remove("campaign");
            }
        }
        campaigns.inStates(CampaignState.PLANNING).forEach(planning::replanIfOrphaned);
    }

    private void supervise(Campaign campaign) {
        List<ChunkRecord> onBoard = board.chunksOf(campaign.id());
        boolean submitSettled = campaign.startedAt() == null
                || campaign.startedAt().isBefore(clock.instant().minus(RESTORE_AFTER));
        if (onBoard.size() < campaign.chunks() && submitSettled) {
            int restored = ledger.restore(campaign.id(), onBoard);
            log.info("campaign={} restored {} chunks to the board from the store", campaign.id(), restored);
            onBoard = board.chunksOf(campaign.id());
        }
        ChunkCounts sofar = onBoard.stream().map(ChunkRecord::counts).reduce(ChunkCounts.ZERO, ChunkCounts::plus);
        String pauseReason = failurePolicy.verdict(sofar);
        if (pauseReason == null && sofar.sent() >= reactionPolicy.minSample()) {
            pauseReason = reactionPolicy.verdict(sofar.sent(), campaigns.reactions(campaign.id()));
        }
        if (pauseReason != null && campaigns.transition(campaign.id(), CampaignState.PAUSED, pauseReason,
                clock.instant(), CampaignState.RUNNING)) {
            log.warn("campaign={} {}", campaign.id(), pauseReason);
            return;
        }
        // Sweep on the fresh board read, before any store call: a slow store must not turn a live lease into a stale one.
        sweeper.sweep(campaign.id(), onBoard);
        if (!storeCheckDue(campaign.id(), onBoard)) {
            return;
        }
        ChunkLedger.Convergence level = ledger.converge(campaign.id(), onBoard);
        // The store decides: a campaign is complete when every chunk is DONE there, whatever a stale board believes.
        if (level.allDoneInStore(campaign.chunks())) {
            ChunkCounts total = level.stored().stream().map(ChunkRecord::counts).reduce(ChunkCounts.ZERO, ChunkCounts::plus);
            lastStoreCheck.remove(campaign.id());
            if (campaigns.completed(campaign.id(), total, clock.instant())) {
                log.info("campaign={} completed: eligible={} sent={} failed={} invalid={} suppressed={} skipped={} "
                        + "unverified={} uncertain={}", campaign.id(), campaign.eligible(), total.sent(), total.failed(),
                        total.invalid(), total.suppressed(), total.skipped(), total.unverified(), total.uncertain());
            }
        }
    }

    /**
     * Reading every stored chunk is the expensive part of a pass: do it when the board says all is done (to complete),
     * and otherwise as a backstop every {@link #STORE_CHECK_EVERY}. A stale board also heals through claims, which find
     * a chunk DONE in the store and settle it.
     */
    private boolean storeCheckDue(String campaignId, List<ChunkRecord> onBoard) {
        long now = clock.millis();
        boolean allDoneOnBoard = onBoard.stream().allMatch(c -> c.state() == ChunkState.DONE);
        Long last = lastStoreCheck.get(campaignId);
        if (!allDoneOnBoard && last != null && now - last < STORE_CHECK_EVERY.toMillis()) {
            return false;
        }
        lastStoreCheck.put(campaignId, now);
        return true;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
