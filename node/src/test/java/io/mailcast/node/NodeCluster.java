package io.mailcast.node;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.core.HazelcastInstance;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.cluster.HazelcastConfigs;
import io.mailcast.engine.CampaignSubmitter;
import io.mailcast.engine.DeliveryTuning;
import io.mailcast.engine.FailurePolicy;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.lab.fixtures.MongoSubscriberWriter;
import io.mailcast.lab.fixtures.SubscriberGenerator;
import io.mailcast.sender.relay.RelaySet;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.suppression.SignedUnsubscribeLinks;
import io.mailcast.testing.Campaigns;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: Mailcast nodes on Hazelcast's in-JVM test network (no ports), sharing one embedded MongoDB that they
 * reach through the real driver.
 */
final class NodeCluster implements AutoCloseable {

    final EmbeddedMongo embedded = EmbeddedMongo.start("127.0.0.1", 0);
    final MongoConnection mongo = MongoConnection.open(embedded.uri(), Duration.ofSeconds(5)).ensureIndexes();
    final List<MailcastNode> nodes = new ArrayList<>();
    /** Each node's own store connection, which {@link #kill} cuts as a dying process would. */
    private final Map<MailcastNode, MongoConnection> connections = new IdentityHashMap<>();
    private final TestHazelcastFactory factory = new TestHazelcastFactory();
    private final ClusterConfig cluster = ClusterConfig.local("test", List.of());

    /** Subscribers 1..users, two thirds subscribed, the given share with malformed addresses. */
    long populate(long users, double invalidRatio) {
        SubscriberGenerator generator = new SubscriberGenerator(2.0 / 3, invalidRatio);
        List<Subscriber> batch = new ArrayList<>();
        for (long id = 1; id <= users; id++) {
            batch.add(generator.subscriber(id));
        }
        new MongoSubscriberWriter(mongo.database()).insert(batch);
        return batch.stream().filter(Subscriber::subscribed).count();
    }

    MailcastNode startNode(long latencyMs, int concurrency) {
        return startNode(latencyMs, concurrency, 0);
    }

    MailcastNode startNode(long latencyMs, int concurrency, double failureRate) {
        return startNode(latencyMs, concurrency, failureRate, 0);
    }

    MailcastNode startNode(long latencyMs, int concurrency, double failureRate, int httpPort) {
        return startNode(latencyMs, concurrency, failureRate, httpPort, null);
    }

    /** A node serving one-click unsubscribe links on {@code httpPort}. */
    MailcastNode startNode(int httpPort, SignedUnsubscribeLinks unsubscribe) {
        return startNode(5, 100, 0, httpPort, unsubscribe);
    }

    private MailcastNode startNode(long latencyMs, int concurrency, double failureRate, int httpPort,
                                   SignedUnsubscribeLinks unsubscribe) {
        var tuning = new DeliveryTuning(concurrency, Duration.ofSeconds(3), 25, 100, Duration.ofMillis(100), 3,
                Duration.ofMillis(20));
        var config = new NodeConfig(cluster, embedded.uri(), new SenderSettings.Simulated(Duration.ofMillis(latencyMs), failureRate),
                tuning, httpPort, Duration.ofSeconds(10), Duration.ofMillis(200), unsubscribe, FailurePolicy.DEFAULT);
        var node = new MailcastNode(config, factory.newHazelcastInstance(MailcastNode.memberConfig(cluster)),
                MongoConnection.open(embedded.uri(), Duration.ofSeconds(5)), Clock.systemUTC());
        node.startServing();
        nodes.add(node);
        return node;
    }

    /**
     * A node sending through {@code relays} (quotas counted in the shared {@code relay_quotas}), with the relays'
     * quota windows and rate slots on {@code relayClock}.
     */
    MailcastNode startNode(RelaySet relays, Clock relayClock, int concurrency) {
        var tuning = new DeliveryTuning(concurrency, Duration.ofSeconds(3), 25, 100, Duration.ofMillis(100), 3,
                Duration.ofMillis(20));
        // A short grace: sends waiting for quota never finish within it, and stopping should not wait long for them.
        var config = new NodeConfig(cluster, embedded.uri(), new SenderSettings.Relays(relays), tuning, 0,
                Duration.ofSeconds(1), Duration.ofMillis(200), null, FailurePolicy.DEFAULT);
        MongoConnection connection = MongoConnection.open(embedded.uri(), Duration.ofSeconds(5));
        var node = new MailcastNode(config, factory.newHazelcastInstance(MailcastNode.memberConfig(cluster)), connection,
                Clock.systemUTC(), relayClock);
        node.startServing();
        nodes.add(node);
        connections.put(node, connection);
        return node;
    }

    /**
     * Kills {@code node} as a dying process: its member vanishes and its store connection is cut before anything
     * orderly can run, so what it held (chunks, quota units) is left behind; then its threads are released.
     */
    void kill(MailcastNode node) {
        node.hazelcast().getLifecycleService().terminate();
        MongoConnection connection = connections.remove(node);
        if (connection != null) {
            connection.close();
        }
        try {
            node.stop();
        } catch (RuntimeException ignored) {
            // its member and store are gone; stopping only releases local resources
        }
        nodes.remove(node);
    }

    /** Stops {@code node} gracefully, as an operator would. */
    void stop(MailcastNode node) {
        node.stop();
        nodes.remove(node);
        connections.remove(node);
    }

    /** A cluster member that runs no Mailcast code: it holds data, and never renews what is claimed in its name. */
    HazelcastInstance plainMember() {
        return factory.newHazelcastInstance(HazelcastConfigs.member(cluster));
    }

    /** Crashes every member at once (a whole-cluster outage); the store keeps what was recorded. */
    void crashAll() {
        nodes.forEach(n -> n.hazelcast().getLifecycleService().terminate());
        nodes.forEach(n -> {
            try {
                n.stop();
            } catch (RuntimeException ignored) {
                // its member is gone; stopping only releases local resources
            }
        });
        nodes.clear();
        factory.terminateAll();
    }

    Campaign submit(String id, int chunkSize) {
        return submit(id, chunkSize, nodes.getFirst().hazelcast());
    }

    Campaign submit(String id, int chunkSize, HazelcastInstance via) {
        return new CampaignSubmitter(campaigns(), new MongoChunkStore(mongo), new HazelcastChunkBoard(via),
                new MongoSubscriberSource(mongo), Clock.systemUTC()).submit(draft(id, chunkSize)).campaign();
    }

    static Campaign draft(String id, int chunkSize) {
        return Campaigns.aCampaign().id(id).chunkSize(chunkSize).build();
    }

    MongoCampaignStore campaigns() {
        return new MongoCampaignStore(mongo);
    }

    CampaignState state(String id) {
        return campaigns().find(id).orElseThrow().state();
    }

    long deliveryDocuments(String campaignId) {
        return mongo.database().getCollection("deliveries").countDocuments(new Document("campaignId", campaignId));
    }

    @Override
    public void close() {
        nodes.forEach(n -> {
            try {
                n.stop();
            } catch (RuntimeException ignored) {
                // a terminated member's node fails to stop cleanly; the factory below cleans up
            }
        });
        factory.terminateAll();
        mongo.close();
        embedded.close();
    }
}
