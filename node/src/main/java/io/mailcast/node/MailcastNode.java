package io.mailcast.node;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.mailcast.bounce.BounceProcessor;
import io.mailcast.bounce.VerpSender;
import io.mailcast.chunk.ChunkLedger;
import io.mailcast.chunk.ChunkSweeper;
import io.mailcast.store.MongoDailyBudget;
import io.mailcast.store.MongoValidationJobStore;
import io.mailcast.validation.AddressValidation;
import io.mailcast.validation.ValidationFigures;
import io.mailcast.validation.ValidationSlots;
import io.mailcast.validation.job.ValidationAhead;
import io.mailcast.validation.job.ValidationJobPlanner;
import io.mailcast.validation.job.ValidationSupervisor;
import io.mailcast.validation.job.ValidationWork;
import io.mailcast.validation.job.ValidationWorkers;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.cluster.ClusterDomainLimits;
import io.mailcast.cluster.ClusterFigures;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.cluster.HazelcastConfigs;
import io.mailcast.cluster.SqlMappings;
import io.mailcast.engine.Engine;
import io.mailcast.engine.NodeStats;
import io.mailcast.http.SendApi;
import io.mailcast.inbound.BounceListener;
import io.mailcast.message.DispatchTuning;
import io.mailcast.message.MessageDispatcher;
import io.mailcast.message.MessageIntake;
import io.mailcast.message.MessageLimits;
import io.mailcast.message.MessageStats;
import io.mailcast.message.MessageValidator;
import io.mailcast.node.metrics.BounceMeters;
import io.mailcast.node.metrics.EngineMeters;
import io.mailcast.node.metrics.MessageMeters;
import io.mailcast.http.HttpWebhookTransport;
import io.mailcast.store.MongoWebhookOutbox;
import io.mailcast.webhook.WebhookDispatcher;
import io.mailcast.webhook.WebhookStats;
import io.mailcast.webhook.WebhookTuning;
import io.mailcast.node.metrics.NodeMeters;
import io.mailcast.node.metrics.ObservedFiringStore;
import io.mailcast.node.metrics.RelayMeters;
import io.mailcast.node.metrics.TimedDeliveryStore;
import io.mailcast.node.metrics.TimedSender;
import io.mailcast.node.metrics.TimedValidator;
import io.mailcast.node.metrics.ValidationMeters;
import io.mailcast.sender.PrioritySender;
import io.mailcast.sender.Sender;
import io.mailcast.sender.relay.DomainPacedSender;
import io.mailcast.sender.relay.DomainRates;
import io.mailcast.sender.relay.RoutingPolicy;
import io.mailcast.store.MongoAddressClaims;
import io.mailcast.store.MongoApiKeyStore;
import io.mailcast.store.MongoApiTemplateStore;
import io.mailcast.store.MongoBounceStore;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoFiringStore;
import io.mailcast.store.MongoMessageStore;
import io.mailcast.store.MongoQuotaLedger;
import io.mailcast.store.MongoReminderClaims;
import io.mailcast.store.MongoScheduleStore;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.store.MongoVerdictStore;
import io.mailcast.subscriber.SubscriberSource;
import io.mailcast.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One Mailcast node: a Hazelcast member that claims chunks and sends them, and supervises campaigns while it is the
 * oldest member. Stopping is orderly: stop claiming, let in-flight sends finish and hand chunks back within the grace
 * period, then leave the cluster, then close the stores.
 */
public final class MailcastNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MailcastNode.class);
    private static final String ROLE_ATTRIBUTE = "mailcast.role";
    private static final String ROLE_NODE = "node";
    /** Marks members that serve the send API: a key's rate is shared among them. */
    private static final String API_ATTRIBUTE = "mailcast.api";
    /**
     * The node's id, fixed at start. Not the member UUID: Hazelcast gives a member a new UUID when it rejoins after a
     * split-brain merge, and claims made under the old one would then look like a dead node's and be re-mailed.
     */
    static final String NODE_ID_ATTRIBUTE = "mailcast.node-id";
    /** Marks members that run validation jobs: the cluster's validation concurrency is shared among them. */
    private static final String VALIDATOR_ATTRIBUTE = "mailcast.validator";
    private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);

    private final NodeConfig config;
    private final HazelcastInstance hazelcast;
    private final MongoConnection mongo;
    private final Clock clock;
    private final Sender sender;
    private final Engine engine;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final String nodeId;
    private final StatsPublisher statsPublisher;
    private final FiguresPublisher figuresPublisher;
    private final MongoMessageStore messages;
    private final MessageStats messageStats = new MessageStats();
    private final MessageDispatcher dispatcher;
    private final WebhookDispatcher webhooks;
    private final BounceProcessor bounceProcessor;
    private final NodeMeters meters = new NodeMeters();
    private final ClusterDomainLimits domainLimits;
    private final ValidationSupervisor validationSupervisor;
    /** {@code null} on a node that runs no validation jobs. */
    private final ValidationWorkers validationWorkers;
    private final ValidationFigures validationFigures = new ValidationFigures();
    private NodeHttpServer http;
    private UnsubscribeHandler unsubscribes;
    private SendApi sendApi;
    private BounceListener bounceListener;

    /** Starts a node on its own Hazelcast member and Mongo client. */
    public static MailcastNode start(NodeConfig config) throws InterruptedException {
        return start(config, MongoSubscriberSource::new);
    }

    /** Starts a node whose subscribers are read by {@code subscribers} (the lab's embedded-server fast path). */
    public static MailcastNode start(NodeConfig config, Function<MongoConnection, SubscriberSource> subscribers)
            throws InterruptedException {
        MongoConnection mongo = MongoConnection.open(config.mongoUri(), Duration.ofSeconds(15)).ensureIndexes();
        HazelcastInstance hazelcast;
        try {
            hazelcast = Hazelcast.newHazelcastInstance(memberConfig(config.cluster(), config.sendApi() != null,
                    config.validation() != null));
        } catch (RuntimeException e) {
            mongo.close();
            throw e;
        }
        // Health answers from the start: live while the node waits for its quorum, ready only once it serves.
        AtomicReference<MailcastNode> serving = new AtomicReference<>();
        // Unsubscribes are taken while the node waits for its quorum too: they need only MongoDB.
        UnsubscribeHandler unsubscribes = unsubscribeEndpoint(config, mongo, Clock.systemUTC());
        NodeHttpServer http = config.httpPort() > 0 ? NodeHttpServer.start(config.httpPort(),
                () -> serving.get() != null && serving.get().isReady(),
                () -> serving.get() == null ? "" : serving.get().metricsText(), unsubscribes) : null;
        try {
            QuorumWait.await(hazelcast, config.cluster().minClusterSize(), Clock.systemUTC());
            MailcastNode node = new MailcastNode(config, hazelcast, mongo, Clock.systemUTC(), subscribers.apply(mongo));
            node.http = http;
            node.unsubscribes = http == null ? null : unsubscribes;
            node.startServing();
            serving.set(node);
            return node;
        } catch (InterruptedException | RuntimeException e) {
            if (http != null) {
                http.close();
            }
            hazelcast.shutdown();
            mongo.close();
            throw e;
        }
    }

    private static UnsubscribeHandler unsubscribeEndpoint(NodeConfig config, MongoConnection mongo, Clock clock) {
        return config.unsubscribe() == null ? null
                : new UnsubscribeHandler(config.unsubscribe().signer(), new MongoSuppressionList(mongo),
                        new MongoCampaignStore(mongo), clock);
    }

    /** Member configuration of a node: marked, so supervision only ever runs on a member that runs Mailcast. */
    public static Config memberConfig(ClusterConfig cluster) {
        return memberConfig(cluster, false);
    }

    /** As above, also marked when the node serves the send API. */
    public static Config memberConfig(ClusterConfig cluster, boolean servesApi) {
        return memberConfig(cluster, servesApi, false);
    }

    /** As above, also marked when the node runs validation jobs. */
    public static Config memberConfig(ClusterConfig cluster, boolean servesApi, boolean validates) {
        var config = HazelcastConfigs.member(cluster);
        config.getMemberAttributeConfig().setAttribute(ROLE_ATTRIBUTE, ROLE_NODE);
        config.getMemberAttributeConfig().setAttribute(NODE_ID_ATTRIBUTE, UUID.randomUUID().toString());
        if (servesApi) {
            config.getMemberAttributeConfig().setAttribute(API_ATTRIBUTE, "on");
        }
        if (validates) {
            config.getMemberAttributeConfig().setAttribute(VALIDATOR_ATTRIBUTE, "on");
        }
        return config;
    }

    /** Members serving the send API now, this one included. */
    private int apiNodes() {
        return membersMarked(API_ATTRIBUTE);
    }

    /** Members running validation jobs now, this one included. */
    private int validatingNodes() {
        return membersMarked(VALIDATOR_ATTRIBUTE);
    }

    private int membersMarked(String attribute) {
        long marked = hazelcast.getCluster().getMembers().stream()
                .filter(m -> "on".equals(m.getAttribute(attribute))).count();
        return (int) Math.max(1, marked);
    }

    /** A node on a given member and Mongo client (tests use Hazelcast's test factory); call {@link #startServing()}. */
    public MailcastNode(NodeConfig config, HazelcastInstance hazelcast, MongoConnection mongo, Clock clock) {
        this(config, hazelcast, mongo, clock, clock);
    }

    /**
     * As above, with the sender's relays (quota windows, rate slots, cool-downs) on {@code relayClock}: tests move it
     * into the next quota window while leases and everything else keep {@code clock}'s time.
     */
    MailcastNode(NodeConfig config, HazelcastInstance hazelcast, MongoConnection mongo, Clock clock, Clock relayClock) {
        this(config, hazelcast, mongo, clock, relayClock, new MongoSubscriberSource(mongo));
    }

    private MailcastNode(NodeConfig config, HazelcastInstance hazelcast, MongoConnection mongo, Clock clock,
                         SubscriberSource subscribers) {
        this(config, hazelcast, mongo, clock, clock, subscribers);
    }

    private MailcastNode(NodeConfig config, HazelcastInstance hazelcast, MongoConnection mongo, Clock clock,
                         Clock relayClock, SubscriberSource subscribers) {
        this.config = config;
        this.hazelcast = hazelcast;
        this.mongo = mongo;
        this.clock = clock;
        this.nodeId = nodeIdOf(hazelcast.getCluster().getLocalMember());
        this.sender = new TimedSender(config.sender().create(hazelcast, new MongoQuotaLedger(mongo), relayClock, Sleeper.SYSTEM),
                meters.registry());
        // Campaigns and the send API share the relays; the send API's messages go first (see PrioritySender).
        DomainRates domainRates = new DomainRates();
        this.domainLimits = ClusterDomainLimits.start(hazelcast, config.domainLimits(), domainRates);
        Sender paced = new DomainPacedSender(sender, domainRates, clock, Sleeper.SYSTEM, RoutingPolicy.defaults().maxRateWait());
        PrioritySender lanes = new PrioritySender(paced);
        this.messages = new MongoMessageStore(mongo);
        // Send-API copies get a VERP envelope sender too, so their bounces suppress the address as campaigns' do.
        this.dispatcher = new MessageDispatcher(messages, config.bounces() == null ? lanes.urgentLane()
                : new VerpSender(lanes.urgentLane(), config.bounces().verp()), nodeId,
                DispatchTuning.DEFAULT.withLease(config.tuning().lease()), messageStats, clock);
        WebhookStats webhookStats = new WebhookStats();
        MongoApiKeyStore apiKeys = new MongoApiKeyStore(mongo);
        this.webhooks = new WebhookDispatcher(new MongoWebhookOutbox(mongo),
                new HttpWebhookTransport(WEBHOOK_TIMEOUT, clock), apiKeys::find, nodeId, WebhookTuning.DEFAULT,
                webhookStats, clock, Sleeper.SYSTEM);
        NodeStats stats = new NodeStats();
        this.engine = Engine.builder(nodeId)
                .stats(stats)
                .board(new HazelcastChunkBoard(hazelcast))
                .stores(new MongoCampaignStore(mongo), new MongoChunkStore(mongo),
                        new TimedDeliveryStore(new MongoDeliveryStore(mongo), meters.registry()))
                .subscribers(subscribers)
                .suppressions(new MongoSuppressionList(mongo))
                .addressClaims(new MongoAddressClaims(mongo))
                .verdicts(new MongoVerdictStore(mongo))
                .reminderClaims(new MongoReminderClaims(mongo))
                .schedules(new MongoScheduleStore(mongo),
                        new ObservedFiringStore(new MongoFiringStore(mongo), meters.registry()))
                .sender(config.bounces() == null ? lanes.campaignLane()
                        : new VerpSender(lanes.campaignLane(), config.bounces().verp()))
                .unsubscribeLinks(config.unsubscribeLinks())
                .tuning(config.tuning())
                .failurePolicy(config.failurePolicy())
                .reactionPolicy(config.reactionPolicy())
                .sweepInterval(config.sweepInterval())
                .clock(clock)
                .chunkObserver(EngineMeters.register(meters.registry(), stats, this::inFlightSends, this::activeChunks,
                        () -> hazelcast.getCluster().getMembers().size()))
                .stopping(stopping::get)
                .membership(this::liveMemberIds, this::isOldestMember)
                .build();
        var validationLedger = new ChunkLedger(HazelcastChunkBoard.forValidation(hazelcast),
                MongoChunkStore.forValidation(mongo), clock, Sleeper.SYSTEM);
        var validationJobs = new MongoValidationJobStore(mongo);
        var validationAhead = new ValidationAhead(new MongoScheduleStore(mongo), new ValidationJobPlanner(validationJobs,
                validationLedger.store(), subscribers, clock), clock);
        this.validationSupervisor = new ValidationSupervisor(validationJobs, validationAhead, validationLedger,
                new ChunkSweeper(validationLedger.board(), this::liveMemberIds, clock, Engine.LOST_ITEM_GRACE),
                this::isOldestMember, clock, config.sweepInterval());
        ValidationMeters.registerBacklog(meters.registry(), validationSupervisor::backlog, validationSupervisor::openJobs);
        ValidationWork work = config.validation() == null ? null
                : validationWork(config.validation(), validationLedger, validationJobs, subscribers);
        this.validationWorkers = work == null ? null : new ValidationWorkers(work);
        if (work != null) {
            ValidationMeters.register(meters.registry(), validationFigures, work.slots()::inFlight,
                    validationWorkers::activeChunks, new MongoDailyBudget(mongo), config.validation().policy().limits(),
                    clock);
        }
        this.bounceProcessor = config.bounces() == null ? null : new BounceProcessor(config.bounces().verp(),
                new MongoBounceStore(mongo), new MongoSuppressionList(mongo), config.bounces().softPolicy(), clock);
        RelayMeters.register(meters.registry(), sender);
        MessageMeters.register(meters.registry(), messageStats, messages::countUnfinished, this::queueAgeSeconds,
                dispatcher::inFlight);
        MessageMeters.registerWebhooks(meters.registry(), webhookStats);
        if (bounceProcessor != null) {
            BounceMeters.register(meters.registry(), bounceProcessor.stats());
        }
        this.statsPublisher = new StatsPublisher(hazelcast, nodeId, engine.stats(), engine::inFlight,
                engine::activeChunks, clock, StatsPublisher.DEFAULT_INTERVAL);
        this.figuresPublisher = new FiguresPublisher(new ClusterFigures(hazelcast), new MongoCampaignStore(mongo), messages,
                this::isOldestMember, clock, FiguresPublisher.DEFAULT_INTERVAL);
    }

    private ValidationWork validationWork(ValidationSettings settings, ChunkLedger ledger, MongoValidationJobStore jobs,
                                          SubscriberSource subscribers) {
        // Unique per process: a restarted node must not inherit its predecessor's address claims.
        var validation = new AddressValidation(new TimedValidator(settings.validator(), meters.registry()),
                new MongoVerdictStore(mongo),
                new MongoDailyBudget(mongo), settings.policy(), validationFigures, clock, Sleeper.SYSTEM,
                "node-" + nodeId);
        var slots = new ValidationSlots(settings.nodeConcurrency(), settings.clusterConcurrency(), this::validatingNodes);
        return new ValidationWork(nodeId, ledger, jobs, subscribers, validation, slots, clock, config.tuning().lease());
    }

    public void startServing() {
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                log.info("node={} member joined: {}", nodeId, event.getMember().getAddress());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                log.warn("node={} member left: {} ({})", nodeId, event.getMember().getAddress(), nodeIdOf(event.getMember()));
                engine.wakeUpSupervisor();
                validationSupervisor.wakeUp();
            }
        });
        SqlMappings.createInBackground(hazelcast);
        engine.start();
        validationSupervisor.start();
        if (validationWorkers != null) {
            validationWorkers.start();
        }
        dispatcher.start();
        webhooks.start();
        if (config.sendApi() != null) {
            var intake = new MessageIntake(messages, new MessageValidator(MessageLimits.DEFAULT),
                    new MongoSuppressionList(mongo), new MongoApiTemplateStore(mongo), messageStats, clock,
                    dispatcher::accepted);
            sendApi = SendApi.start(config.sendApi(), intake, messages, new MongoApiKeyStore(mongo),
                    MessageLimits.DEFAULT, clock, this::apiNodes);
        }
        statsPublisher.start();
        figuresPublisher.start();
        if (bounceProcessor != null && config.bounces().listener() != null) {
            bounceListener = BounceListener.start(config.bounces().listener(), bounceProcessor);
        }
        if (http == null && config.httpPort() > 0) {
            unsubscribes = unsubscribeEndpoint(config, mongo, clock);
            http = NodeHttpServer.start(config.httpPort(), this::isReady, this::metricsText, unsubscribes);
        }
        if (unsubscribes != null) {
            meters.counter("mailcast.unsubscribes", "Addresses this node put on the suppression list through the "
                    + "one-click link (a repeated click counts once)", unsubscribes.unsubscribed);
        }
        log.info("node={} ready: {}", nodeId, config.describe());
    }

    public String nodeId() {
        return nodeId;
    }

    public NodeStats stats() {
        return engine.stats();
    }

    /** The send API's port, or 0 when this node serves none. */
    public int sendApiPort() {
        return sendApi == null ? 0 : sendApi.port();
    }

    /** The bounce listener's port, or 0 when this node runs none. */
    public int bouncePort() {
        return bounceListener == null ? 0 : bounceListener.port();
    }

    /** This node's paid checks, cache hits and verdicts for validation jobs (all zero when it runs none). */
    public ValidationFigures validationFigures() {
        return validationFigures;
    }

    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    /** Node ids of the members in this node's view of the cluster: what claims are checked against. */
    Set<String> liveMemberIds() {
        return hazelcast.getCluster().getMembers().stream().map(MailcastNode::nodeIdOf).collect(Collectors.toSet());
    }

    /** A member's node id; members configured without {@link #memberConfig} fall back to their UUID. */
    static String nodeIdOf(Member member) {
        String id = member.getAttribute(NODE_ID_ATTRIBUTE);
        return id != null ? id : member.getUuid().toString();
    }

    /**
     * The supervisor is the oldest member running a node (members are listed oldest first), and only on a side of a
     * partition that has the configured majority.
     */
    private boolean isOldestMember() {
        var members = hazelcast.getCluster().getMembers();
        if (members.size() < config.cluster().minClusterSize()) {
            return false;
        }
        return members.stream()
                .filter(m -> ROLE_NODE.equals(m.getAttribute(ROLE_ATTRIBUTE)))
                .findFirst().map(Member::localMember).orElse(false);
    }

    boolean isReady() {
        if (stopping.get() || !hazelcast.getLifecycleService().isRunning()) {
            return false;
        }
        try {
            mongo.ping();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    String metricsText() {
        return meters.scrape();
    }

    private long queueAgeSeconds() {
        return messages.oldestUnfinished().map(at -> Math.max(0, Duration.between(at, clock.instant()).toSeconds()))
                .orElse(0L);
    }

    // The engine is built after its meters are registered, so these read it late.
    private int inFlightSends() {
        return engine == null ? 0 : engine.inFlight();
    }

    private int activeChunks() {
        return engine == null ? 0 : engine.activeChunks();
    }

    /** Graceful stop; idempotent. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        stopping.set(true);
        log.info("node={} stopping: no new claims, up to {} s to finish in-flight sends", nodeId,
                config.shutdownGrace().toSeconds());
        if (sendApi != null) {
            sendApi.close(); // no new messages; the ones stored are sent by this node or another
        }
        if (bounceListener != null) {
            bounceListener.close(); // before Mongo closes; senders retry a refused or unanswered report later
        }
        // Sends still waiting for relay quota or a relay would outlast the grace period: they end unsent now, so the
        // chunks are handed back cleanly instead of their recipients counted in doubt after the lease.
        sender.stopWaiting();
        try {
            long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
            // Paid checks under way drain alongside the sends, each within the whole grace period.
            var validationClean = new AtomicBoolean(true);
            Thread validationStop = validationWorkers == null ? null : Thread.ofVirtual().start(() -> {
                try {
                    validationClean.set(validationWorkers.stop(config.shutdownGrace()));
                } catch (InterruptedException e) {
                    validationClean.set(false);
                }
            });
            boolean clean = engine.stop(config.shutdownGrace());
            clean &= dispatcher.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (validationStop != null) {
                validationStop.join();
                clean &= validationClean.get();
            }
            validationSupervisor.close();
            webhooks.close(); // a report being POSTed is claimed again when its lease runs out
            log.info("node={} {}", nodeId, clean ? "handed back all work" : "left work to be reclaimed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        statsPublisher.close();
        figuresPublisher.close();
        domainLimits.close();
        if (hazelcast.getLifecycleService().isRunning()) {
            hazelcast.shutdown();
        }
        sender.close();
        mongo.close();
        if (http != null) {
            http.close();
        }
        meters.close();
        NodeStats stats = engine.stats();
        log.info("node={} stopped: sent={} failed={} invalid={} suppressed={} skipped={} unverified={} uncertain={}; send "
                        + "API messages sent={} failed={} uncertain={}", nodeId, stats.sent.sum(), stats.failed.sum(),
                stats.invalid.sum(), stats.suppressed.sum(), stats.skipped.sum(), stats.unverified.sum(),
                stats.uncertain.sum(), messageStats.sent.sum(),
                messageStats.failed.sum(), messageStats.uncertain.sum());
    }

    @Override
    public void close() {
        stop();
    }
}
