package io.mailcast.engine;

import io.mailcast.campaign.CampaignStore;
import io.mailcast.chunk.ChunkBoard;
import io.mailcast.chunk.ChunkLedger;
import io.mailcast.chunk.ChunkStore;
import io.mailcast.chunk.ChunkSweeper;
import io.mailcast.delivery.AddressClaims;
import io.mailcast.delivery.DeliveryStore;
import io.mailcast.reminder.LocalReminderClaims;
import io.mailcast.reminder.ReminderClaims;
import io.mailcast.schedule.FiringStore;
import io.mailcast.schedule.ScheduleFirer;
import io.mailcast.schedule.ScheduleStore;
import io.mailcast.engine.CampaignDirectory;
import io.mailcast.sender.Sender;
import io.mailcast.subscriber.SubscriberSource;
import io.mailcast.suppression.SuppressionList;
import io.mailcast.suppression.UnsubscribeLinks;
import io.mailcast.time.Sleeper;
import io.mailcast.validation.VerdictLookup;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The engine of one node, assembled from ports: chunk slots that claim and send, and the supervisor. The node process,
 * the benchmark's one-process baseline and tests build it the same way, with any board, stores and sender.
 */
public final class Engine implements AutoCloseable {

    /** A queued chunk missing from the queue this long is re-offered; covers the gap between a poll and a claim. */
    public static final Duration LOST_ITEM_GRACE = Duration.ofSeconds(5);

    private final ChunkWorkers workers;
    private final Supervisor supervisor;
    private final Semaphore permits;
    private final int concurrency;
    private final NodeStats stats;

    private Engine(Builder b) {
        this.concurrency = b.tuning.concurrency();
        this.permits = new Semaphore(concurrency);
        this.stats = b.stats;
        var ledger = new ChunkLedger(b.board, b.chunkStore, b.clock, Sleeper.SYSTEM);
        var ctx = new DeliveryContext(b.nodeId, ledger, b.deliveries, b.subscribers, b.suppressions, b.addressClaims,
                new CampaignDirectory(b.campaigns, b.clock, Duration.ofSeconds(1)),
                new SenderMarks(b.campaigns, b.sender.kind()), b.sender, b.unsubscribeLinks,
                b.tuning, permits, stats, b.clock, b.stopping, b.verdicts, b.reminderClaims, b.chunkObserver,
                new ReservationPace(b.clock, b.tuning));
        this.workers = new ChunkWorkers(ctx);
        var sweeper = new ChunkSweeper(b.board, b.liveNodes, b.clock, LOST_ITEM_GRACE);
        var submitter = new CampaignSubmitter(b.campaigns, b.chunkStore, b.board, b.subscribers, b.clock);
        var planning = new OrphanedPlanning(submitter, b.nodeId);
        var firer = b.schedules == null ? null : new ScheduleFirer(b.schedules, b.firings, submitter::submit, b.clock);
        this.supervisor = new Supervisor(b.campaigns, b.chunkStore, b.board, sweeper, b.isSupervisor, b.clock,
                b.sweepInterval, b.failurePolicy, planning, b.reactionPolicy, firer);
    }

    public static Builder builder(String nodeId) {
        return new Builder(nodeId);
    }

    public void start() {
        workers.start();
        supervisor.start();
    }

    /** Runs a supervision pass soon, for example when a member left. */
    public void wakeUpSupervisor() {
        supervisor.wakeUp();
    }

    public NodeStats stats() {
        return stats;
    }

    public int inFlight() {
        return concurrency - permits.availablePermits();
    }

    public int activeChunks() {
        return workers.activeChunks();
    }

    /** Stops claiming, lets in-flight sends finish within {@code grace}; true when every chunk was handed back. */
    public boolean stop(Duration grace) throws InterruptedException {
        boolean clean = workers.stop(grace);
        supervisor.close();
        return clean;
    }

    @Override
    public void close() {
        workers.close();
        supervisor.close();
    }

    /** Everything an engine needs; each setter names the port it fills. */
    public static final class Builder {
        private final String nodeId;
        private ChunkBoard board;
        private ChunkStore chunkStore;
        private DeliveryStore deliveries;
        private CampaignStore campaigns;
        private SubscriberSource subscribers;
        private SuppressionList suppressions;
        private AddressClaims addressClaims;
        private ReminderClaims reminderClaims = new LocalReminderClaims();
        private ScheduleStore schedules;
        private FiringStore firings;
        private Sender sender;
        private UnsubscribeLinks unsubscribeLinks = UnsubscribeLinks.NONE;
        private DeliveryTuning tuning = DeliveryTuning.defaults(1000, Duration.ofSeconds(30));
        private FailurePolicy failurePolicy = FailurePolicy.DEFAULT;
        private ReactionPolicy reactionPolicy = ReactionPolicy.DEFAULT;
        private Duration sweepInterval = Duration.ofSeconds(2);
        private Clock clock = Clock.systemUTC();
        private NodeStats stats = new NodeStats();
        private BooleanSupplier stopping = () -> false;
        private BooleanSupplier isSupervisor = () -> true;
        private Supplier<Set<String>> liveNodes;
        private VerdictLookup verdicts = VerdictLookup.NONE;
        private ChunkObserver chunkObserver = ChunkObserver.NONE;

        private Builder(String nodeId) {
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
            this.liveNodes = () -> Set.of(nodeId);
        }

        public Builder board(ChunkBoard board) {
            this.board = board;
            return this;
        }

        public Builder stores(CampaignStore campaigns, ChunkStore chunks, DeliveryStore deliveries) {
            this.campaigns = campaigns;
            this.chunkStore = chunks;
            this.deliveries = deliveries;
            return this;
        }

        public Builder subscribers(SubscriberSource subscribers) {
            this.subscribers = subscribers;
            return this;
        }

        /** Who mails each address of a campaign: de-duplicates subscribers that share a mailbox. */
        public Builder addressClaims(AddressClaims addressClaims) {
            this.addressClaims = addressClaims;
            return this;
        }

        /** Who sends each reminder of a schedule: a reminder is sent once; in memory (one process) by default. */
        public Builder reminderClaims(ReminderClaims reminderClaims) {
            this.reminderClaims = reminderClaims;
            return this;
        }

        /** The schedules whose due slots the supervisor fires, and where firings are recorded; none by default. */
        public Builder schedules(ScheduleStore schedules, FiringStore firings) {
            this.schedules = Objects.requireNonNull(schedules, "schedules");
            this.firings = Objects.requireNonNull(firings, "firings");
            return this;
        }

        /** Cached validation verdicts, for campaigns requiring confirmed or checked-valid recipients. */
        public Builder verdicts(VerdictLookup verdicts) {
            this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
            return this;
        }

        /** The addresses never to send to; each chunk asks it once. */
        public Builder suppressions(SuppressionList suppressions) {
            this.suppressions = suppressions;
            return this;
        }

        public Builder sender(Sender sender) {
            this.sender = sender;
            return this;
        }

        /** Each recipient's unsubscribe link, for the headers and {@code {{unsubscribeUrl}}}; none by default. */
        public Builder unsubscribeLinks(UnsubscribeLinks unsubscribeLinks) {
            this.unsubscribeLinks = unsubscribeLinks;
            return this;
        }

        public Builder tuning(DeliveryTuning tuning) {
            this.tuning = tuning;
            return this;
        }

        /** When a campaign pauses itself over hard bounces or complaints. */
        public Builder reactionPolicy(ReactionPolicy reactionPolicy) {
            this.reactionPolicy = reactionPolicy;
            return this;
        }

        public Builder failurePolicy(FailurePolicy failurePolicy) {
            this.failurePolicy = failurePolicy;
            return this;
        }

        public Builder sweepInterval(Duration sweepInterval) {
            this.sweepInterval = sweepInterval;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder stats(NodeStats stats) {
            this.stats = stats;
            return this;
        }

        /** Told of every chunk run's end and duration; nobody by default. */
        public Builder chunkObserver(ChunkObserver chunkObserver) {
            this.chunkObserver = Objects.requireNonNull(chunkObserver, "chunkObserver");
            return this;
        }

        /** True once the node is shutting down: jobs stop dispatching. */
        public Builder stopping(BooleanSupplier stopping) {
            this.stopping = stopping;
            return this;
        }

        /** Which nodes are alive (their chunks are not orphans), and whether this one supervises right now. */
        public Builder membership(Supplier<Set<String>> liveNodes, BooleanSupplier isSupervisor) {
            this.liveNodes = liveNodes;
            this.isSupervisor = isSupervisor;
            return this;
        }

        public Engine build() {
            Objects.requireNonNull(board, "board");
            Objects.requireNonNull(campaigns, "stores");
            Objects.requireNonNull(subscribers, "subscribers");
            Objects.requireNonNull(suppressions, "suppressions");
            Objects.requireNonNull(addressClaims, "addressClaims");
            Objects.requireNonNull(reminderClaims, "reminderClaims");
            Objects.requireNonNull(unsubscribeLinks, "unsubscribeLinks");
            Objects.requireNonNull(sender, "sender");
            if (!sweepInterval.isPositive()) {
                throw new IllegalArgumentException("sweep interval must be positive, got " + sweepInterval);
            }
            return new Engine(this);
        }
    }
}
