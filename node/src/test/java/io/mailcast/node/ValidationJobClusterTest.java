package io.mailcast.node;

import com.hazelcast.core.Hazelcast;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.engine.DeliveryTuning;
import io.mailcast.engine.FailurePolicy;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.store.MongoValidationJobStore;
import io.mailcast.subscriber.Audience;
import io.mailcast.time.Sleeper;
import io.mailcast.validation.CountingValidator;
import io.mailcast.validation.SimulatedValidator;
import io.mailcast.validation.SimulatedValidatorConfig;
import io.mailcast.validation.ValidationPolicy;
import io.mailcast.validation.ValidationRequirement;
import io.mailcast.validation.Validator;
import io.mailcast.validation.Verdict;
import io.mailcast.validation.job.ValidationJobPlanner;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Validation jobs run by two real nodes (Hazelcast members over TCP on loopback, one embedded MongoDB reached through
 * the real driver), counting calls at the simulated validator: each distinct unconfirmed address is paid for exactly
 * once, across chunks that share addresses, two nodes, and a node cut off from the cluster mid-job.
 */
class ValidationJobClusterTest {

    private static final int USERS = 600;
    private static final int CLUSTER_CONCURRENCY = 30;
    /** Address claims last 2 s (the slowest call is 120 ms): a dead node's addresses are free again soon. */
    private static final ValidationPolicy POLICY = ValidationPolicy.DEFAULTS.withRetries(1, Duration.ofMillis(100))
            .withLease(Duration.ofSeconds(2));

    private final EmbeddedMongo embedded = EmbeddedMongo.start("127.0.0.1", 0);
    private final MongoConnection mongo = MongoConnection.open(embedded.uri(), Duration.ofSeconds(5)).ensureIndexes();
    private final SimulatedValidator simulated = new SimulatedValidator(
            new SimulatedValidatorConfig(Duration.ofMillis(20), Duration.ofMillis(120), 0.1, 0.02, 0, 4_000, 7),
            Sleeper.SYSTEM);
    /** Calls of all nodes, per address: what the validation service would bill. */
    private final CountingValidator validator = new CountingValidator(simulated);
    private final List<MailcastNode> nodes = new ArrayList<>();
    private final Map<MailcastNode, MongoConnection> connections = new java.util.IdentityHashMap<>();
    private final Map<MailcastNode, CountingValidator> perNode = new java.util.IdentityHashMap<>();
    private ClusterConfig cluster;
    private Set<String> unconfirmed;

    @BeforeEach
    void subscribers() throws IOException {
        int p1 = freePort();
        int p2 = freePort();
        cluster = new ClusterConfig("validation-" + UUID.randomUUID(), List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2),
                p1, null, null, "127.0.0.1", 1);
        // Every third subscriber confirmed; addresses repeat across chunks (user7 is subscriber 7, 257 and 507).
        List<Document> docs = new ArrayList<>();
        unconfirmed = new HashSet<>();
        for (int id = 1; id <= USERS; id++) {
            boolean confirmed = id % 3 == 0;
            String email = "user" + (id % 250) + "@example.com";
            docs.add(new Document("_id", id).append("email", email).append("subscribed", true)
                    .append("attributes", new Document("confirmed", confirmed)));
            if (!confirmed) {
                unconfirmed.add(email);
            }
        }
        mongo.database().getCollection("subscribers").insertMany(docs);
    }

    @AfterEach
    void close() {
        nodes.forEach(n -> {
            try {
                n.stop();
            } catch (RuntimeException ignored) {
                // a killed node's member and store are gone already
            }
        });
        mongo.close();
        embedded.close();
    }

    @Test
    void twoNodesPayOncePerDistinctUnconfirmedAddressWithinTheClusterLimit() {
        MailcastNode a = startNode(cluster.port());
        MailcastNode b = startNode(cluster.port() + 1);

        order("v-two-nodes");
        awaitFinished("v-two-nodes");

        assertThat(validator.total()).isEqualTo(unconfirmed.size());
        assertThat(validator.maxPerAddress()).isEqualTo(1);
        assertThat(validator.calls.keySet()).isEqualTo(unconfirmed);
        assertThat(verdictsCached()).isEqualTo(unconfirmed);
        assertThat(validator.maxInFlight.get()).isLessThanOrEqualTo(CLUSTER_CONCURRENCY);
        assertThat(a.validationFigures().paidCalls.sum()).isPositive();
        assertThat(b.validationFigures().paidCalls.sum()).isPositive();
        Document job = mongo.database().getCollection("validation_jobs").find(new Document("_id", "v-two-nodes")).first();
        assertThat(job.getLong("confirmed")).isEqualTo(USERS / 3);
        assertThat(job.getLong("verified") + job.getLong("invalid")).isGreaterThanOrEqualTo(unconfirmed.size());
        assertThat(job.getLong("unchecked")).isZero();

        // What each node exports: its own paid calls and verdicts, and the cluster's spending today.
        String metrics = a.metricsText();
        long aCalls = a.validationFigures().paidCalls.sum();
        assertThat(sample(metrics, "mailcast_validation_calls_total")).isEqualTo(aCalls);
        assertThat(sample(metrics, "mailcast_validation_latency_seconds_count{result=\"valid\"}")
                + sample(metrics, "mailcast_validation_latency_seconds_count{result=\"invalid\"}")
                + sample(metrics, "mailcast_validation_latency_seconds_count{result=\"unknown\"}"))
                .isEqualTo(aCalls);
        assertThat(sample(metrics, "mailcast_validation_verdicts_total{verdict=\"invalid\"}"))
                .isEqualTo(a.validationFigures().verdicts(Verdict.INVALID));
        assertThat(sample(b.metricsText(), "mailcast_validation_calls_today"))
                .as("the cluster's calls, from the shared budget").isEqualTo(unconfirmed.size());
        assertThat(sample(metrics, "mailcast_validation_money_today"))
                .isEqualTo(unconfirmed.size() * 0.004, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aNodeCutOffMidJobLeavesItsChunksToTheOtherWithoutASecondCall() {
        MailcastNode a = startNode(cluster.port());
        MailcastNode b = startNode(cluster.port() + 1);

        order("v-cut-off");
        await().atMost(Duration.ofSeconds(30)).until(() -> a.validationFigures().paidCalls.sum() >= 10);
        // Its member crashes: its chunk leases run out and b takes them over, while the checks a already paid for
        // finish and land in the cache, where b finds them.
        a.hazelcast().getLifecycleService().terminate();
        awaitFinished("v-cut-off");

        assertThat(validator.total()).isEqualTo(unconfirmed.size());
        assertThat(validator.maxPerAddress()).isEqualTo(1);
        assertThat(verdictsCached()).isEqualTo(unconfirmed);
        assertThat(b.validationFigures().paidCalls.sum()).isPositive();
    }

    @Test
    void aKilledNodesChecksInFlightAreTheOnlyOnesPaidTwice() throws Exception {
        MailcastNode a = startNode(cluster.port());
        MailcastNode b = startNode(cluster.port() + 1);

        order("v-killed");
        await().atMost(Duration.ofSeconds(30)).until(() -> perNode.get(a).total() >= 20);
        // The process dies: its member, its store connection and its threads go at once, paid checks unrecorded.
        a.hazelcast().getLifecycleService().terminate();
        connections.get(a).close();
        Thread stopping = Thread.ofVirtual().start(a::stop);
        awaitFinished("v-killed");
        stopping.join(Duration.ofSeconds(30));
        nodes.remove(a);

        assertThat(verdictsCached()).as("every address gets its verdict").isEqualTo(unconfirmed);
        assertThat(validator.maxPerAddress()).isLessThanOrEqualTo(2);
        assertThat(perNode.get(b).maxPerAddress()).as("the survivor never pays twice").isEqualTo(1);
        // A check holds its slot until its verdict is stored: the dead node's unstored checks fit in its slots (at
        // most the cluster limit, all of it while it sees itself alone), and they are the only addresses paid twice.
        assertThat(validator.total() - unconfirmed.size()).isLessThanOrEqualTo(CLUSTER_CONCURRENCY);
        assertThat(validator.calls.entrySet()).filteredOn(e -> e.getValue().get() > 1)
                .allSatisfy(e -> assertThat(perNode.get(a).calls).containsKey(e.getKey()));
        assertThat(validator.concurrentForOneAddress.get()).as("never two calls for one address at once").isZero();
    }

    @Test
    void aWholeClusterRestartMidJobFinishesItWithoutASecondCall() {
        MailcastNode a = startNode(cluster.port());
        MailcastNode b = startNode(cluster.port() + 1);
        order("v-restart");
        await().atMost(Duration.ofSeconds(30)).until(() -> validator.total() >= 30);

        // Both stop gracefully: checks under way finish and are cached, chunks are handed back or left to the store.
        a.stop();
        b.stop();
        nodes.clear();
        assertThat(new MongoValidationJobStore(mongo).finishedAt("v-restart")).isEmpty();

        startNode(cluster.port());
        startNode(cluster.port() + 1);
        awaitFinished("v-restart");

        assertThat(validator.total()).isEqualTo(unconfirmed.size());
        assertThat(validator.maxPerAddress()).isEqualTo(1);
        assertThat(verdictsCached()).isEqualTo(unconfirmed);
    }

    private MailcastNode startNode(int port) {
        ClusterConfig own = new ClusterConfig(cluster.clusterName(), cluster.members(), port, null, null, "127.0.0.1", 1);
        var tuning = new DeliveryTuning(10, Duration.ofSeconds(3), 25, 100, Duration.ofMillis(100), 3, Duration.ofMillis(20));
        var config = new NodeConfig(own, embedded.uri(), new SenderSettings.Simulated(Duration.ofMillis(5), 0), tuning, 0,
                Duration.ofSeconds(5), Duration.ofMillis(200), null, FailurePolicy.DEFAULT)
                .withValidation(new ValidationSettings(own(), POLICY, 100, CLUSTER_CONCURRENCY));
        MongoConnection connection = MongoConnection.open(embedded.uri(), Duration.ofSeconds(5));
        var node = new MailcastNode(config, Hazelcast.newHazelcastInstance(MailcastNode.memberConfig(own, false, true)),
                connection, Clock.systemUTC());
        perNode.put(node, lastOwn);
        node.startServing();
        nodes.add(node);
        connections.put(node, connection);
        return node;
    }

    private void order(String id) {
        new ValidationJobPlanner(new MongoValidationJobStore(mongo), MongoChunkStore.forValidation(mongo),
                new MongoSubscriberSource(mongo), Clock.systemUTC())
                .order(id, Audience.SUBSCRIBED, ValidationRequirement.CONFIRMED_OR_VALID, null, 40);
    }

    private void awaitFinished(String id) {
        var jobs = new MongoValidationJobStore(mongo);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> jobs.finishedAt(id).isPresent());
    }

    private Set<String> verdictsCached() {
        Set<String> cached = new HashSet<>();
        for (Document d : mongo.database().getCollection("address_verdicts").find(new Document("verdict",
                new Document("$in", List.of(Verdict.VALID.name(), Verdict.INVALID.name(), Verdict.UNKNOWN.name()))))) {
            cached.add(d.getString("_id"));
        }
        return cached;
    }

    /** The value of one sample line, {@code name} with its labels as exported; 0 when absent. */
    private static double sample(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1).strip())).orElse(0.0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private CountingValidator lastOwn;

    /** One node's counting validator, passing every call on to the cluster-wide count too. */
    private Validator own() {
        lastOwn = new CountingValidator(validator);
        return lastOwn;
    }
}
