package io.mailcast.node;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.mailcast.campaign.CampaignDirectory;
import io.mailcast.chunk.ChunkSweeper;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.cluster.HazelcastConfigs;
import io.mailcast.cluster.SqlMappings;
import io.mailcast.delivery.ChunkWorkers;
import io.mailcast.delivery.DeliveryContext;
import io.mailcast.delivery.NodeStats;
import io.mailcast.sender.Sender;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoSubscriberSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One Mailcast node: a Hazelcast member that claims chunks and sends them, and supervises campaigns while it is the
 * oldest member. Stopping is orderly: stop claiming, let in-flight sends finish and hand chunks back within the grace
 * period, then leave the cluster, then close the stores.
 */
public final class MailcastNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MailcastNode.class);
    /** A queued chunk missing from the queue this long is re-offered; covers the gap between a poll and a claim. */
    static final Duration LOST_ITEM_GRACE = Duration.ofSeconds(5);
    private static final String ROLE_ATTRIBUTE = "mailcast.role";
    private static final String ROLE_NODE = "node";

    private final NodeConfig config;
    private final HazelcastInstance hazelcast;
    private final MongoConnection mongo;
    private final Sender sender;
    private final NodeStats stats = new NodeStats();
    private final Semaphore permits;
    private final ChunkWorkers workers;
    private final Supervisor supervisor;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final String nodeId;
    private final StatsPublisher statsPublisher;
    private NodeHttpServer http;

    /** Starts a node on its own Hazelcast member and Mongo client. */
    public static MailcastNode start(NodeConfig config) {
        MongoConnection mongo = MongoConnection.open(config.mongoUri(), Duration.ofSeconds(15)).ensureIndexes();
        HazelcastInstance hazelcast;
        try {
            hazelcast = Hazelcast.newHazelcastInstance(memberConfig(config.cluster()));
        } catch (RuntimeException e) {
            mongo.close();
            throw e;
        }
        MailcastNode node = new MailcastNode(config, hazelcast, mongo, Clock.systemUTC());
        node.startServing();
        return node;
    }

    /** Member configuration of a node: marked, so supervision only ever runs on a member that runs Mailcast. */
    public static com.hazelcast.config.Config memberConfig(io.mailcast.cluster.ClusterConfig cluster) {
        var config = HazelcastConfigs.member(cluster);
        config.getMemberAttributeConfig().setAttribute(ROLE_ATTRIBUTE, ROLE_NODE);
        return config;
    }

    /** A node on a given member and Mongo client (tests use Hazelcast's test factory); call {@link #startServing()}. */
    public MailcastNode(NodeConfig config, HazelcastInstance hazelcast, MongoConnection mongo, Clock clock) {
        this.config = config;
        this.hazelcast = hazelcast;
        this.mongo = mongo;
        this.nodeId = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.sender = config.sender().create(hazelcast, clock);
        this.permits = new Semaphore(config.tuning().concurrency());
        var board = new HazelcastChunkBoard(hazelcast);
        var campaigns = new MongoCampaignStore(mongo);
        var chunkStore = new MongoChunkStore(mongo);
        var ctx = new DeliveryContext(nodeId, board, chunkStore, new MongoDeliveryStore(mongo),
                new MongoSubscriberSource(mongo), new CampaignDirectory(campaigns, clock, Duration.ofSeconds(1)),
                sender, config.recipientHeaders(), config.tuning(), permits, stats, clock, stopping::get);
        this.workers = new ChunkWorkers(ctx);
        var sweeper = new ChunkSweeper(board, this::liveMemberIds, clock, LOST_ITEM_GRACE);
        this.supervisor = new Supervisor(campaigns, chunkStore, board, sweeper, this::isOldestMember, clock,
                config.sweepInterval(), config.failurePolicy());
        this.statsPublisher = new StatsPublisher(hazelcast, nodeId, stats,
                () -> config.tuning().concurrency() - permits.availablePermits(), workers::activeChunks, clock,
                StatsPublisher.DEFAULT_INTERVAL);
    }

    public void startServing() {
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                log.info("node={} member joined: {}", nodeId, event.getMember().getAddress());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                log.warn("node={} member left: {} ({})", nodeId, event.getMember().getAddress(), event.getMember().getUuid());
                supervisor.wakeUp();
            }
        });
        SqlMappings.createInBackground(hazelcast);
        workers.start();
        supervisor.start();
        statsPublisher.start();
        if (config.httpPort() > 0) {
            http = NodeHttpServer.start(config.httpPort(), this::isReady, this::metricsText);
        }
        log.info("node={} ready: {}", nodeId, config.describe());
    }

    public String nodeId() {
        return nodeId;
    }

    public NodeStats stats() {
        return stats;
    }

    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    private Set<String> liveMemberIds() {
        return hazelcast.getCluster().getMembers().stream().map(m -> m.getUuid().toString()).collect(Collectors.toSet());
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
        return NodeMetrics.render(stats, config.tuning().concurrency() - permits.availablePermits(),
                workers.activeChunks(), hazelcast.getCluster().getMembers().size(), sender.relayFigures());
    }

    /** Graceful stop; idempotent. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        stopping.set(true);
        log.info("node={} stopping: no new claims, up to {} s to finish in-flight sends", nodeId,
                config.shutdownGrace().toSeconds());
        try {
            boolean clean = workers.stop(config.shutdownGrace());
            log.info("node={} {}", nodeId, clean ? "handed back all work" : "left work to be reclaimed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        supervisor.close();
        statsPublisher.close();
        if (hazelcast.getLifecycleService().isRunning()) {
            hazelcast.shutdown();
        }
        sender.close();
        mongo.close();
        if (http != null) {
            http.close();
        }
        log.info("node={} stopped: sent={} failed={} invalid={} uncertain={}", nodeId, stats.sent.sum(),
                stats.failed.sum(), stats.invalid.sum(), stats.uncertain.sum());
    }

    @Override
    public void close() {
        stop();
    }
}
