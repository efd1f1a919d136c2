package io.mailcast.node;

import io.mailcast.bounce.BounceSigner;
import io.mailcast.bounce.SoftBouncePolicy;
import io.mailcast.bounce.VerpAddresses;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.engine.CampaignSubmitter;
import io.mailcast.engine.DeliveryTuning;
import io.mailcast.engine.FailurePolicy;
import io.mailcast.inbound.BounceListenerConfig;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.lab.fixtures.MongoSubscriberWriter;
import io.mailcast.lab.fixtures.SubscriberGenerator;
import io.mailcast.sender.relay.RelayConfig;
import io.mailcast.sender.relay.RelayEndpoint;
import io.mailcast.sender.relay.RelaySet;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.testing.Campaigns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard against a real node: every series a panel or variable queries is one that a node with relays
 * and the bounce listener serves on /metrics after a campaign.
 */
class DashboardSeriesTest {

    private final EmbeddedMongo mongo = EmbeddedMongo.start("127.0.0.1", 0);
    private MailcastNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.stop();
        }
        mongo.close();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void everySeriesTheDashboardQueriesIsServedByANode() throws Exception {
        int port = freePort();
        int httpPort = freePort();
        var cluster = new ClusterConfig("dashboard-" + UUID.randomUUID(), List.of("127.0.0.1:" + port), port, null,
                null, "127.0.0.1", 1);
        var relays = RelaySet.of(RelayConfig.of("primary", new RelayEndpoint.Simulated(Duration.ofMillis(1), 0)),
                RelayConfig.of("backup", new RelayEndpoint.Simulated(Duration.ofMillis(1), 0)));
        var verp = new VerpAddresses("bounce.example.com",
                new BounceSigner("dashboard-secret-0123456789".getBytes(StandardCharsets.UTF_8)));
        node = MailcastNode.start(new NodeConfig(cluster, mongo.uri(), new SenderSettings.Relays(relays),
                DeliveryTuning.defaults(10, Duration.ofSeconds(5)), httpPort, Duration.ofSeconds(2),
                Duration.ofMillis(300), null, FailurePolicy.DEFAULT, null,
                new BounceSettings(verp, BounceListenerConfig.onPort(0), SoftBouncePolicy.DEFAULT)));
        runACampaign();

        Map<String, Set<String>> queried = new TreeMap<>(DashboardQueries.metricNamesByPanel(DashboardQueriesTest.DASHBOARD));
        queried.putAll(DashboardQueries.metricNamesByVariable(DashboardQueriesTest.DASHBOARD));
        // GC pause series appear with the first collection after the node started: ask for one, and give its
        // notification a moment to arrive.
        System.gc();
        Map<String, Set<String>> missing = new TreeMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            Set<String> served = DashboardQueries.exportedNames(scrape(httpPort));
            missing.clear();
            queried.forEach((where, names) -> names.stream().filter(n -> !served.contains(n))
                    .forEach(n -> missing.computeIfAbsent(where, k -> new TreeSet<>()).add(n)));
        } while (!missing.isEmpty() && System.nanoTime() < deadline && pause());

        assertThat(queried).isNotEmpty();
        assertThat(missing).as("series the dashboard queries that the node does not serve, by panel").isEmpty();
    }

    private static String scrape(int httpPort) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(200);
        return true;
    }

    private void runACampaign() {
        try (MongoConnection connection = MongoConnection.open(mongo.uri(), Duration.ofSeconds(5))) {
            List<Subscriber> people = new ArrayList<>();
            SubscriberGenerator generator = new SubscriberGenerator(1.0, 0.0);
            for (long id = 1; id <= 20; id++) {
                people.add(generator.subscriber(id));
            }
            new MongoSubscriberWriter(connection.database()).insert(people);
            MongoCampaignStore campaigns = new MongoCampaignStore(connection);
            Campaign campaign = new CampaignSubmitter(campaigns, new MongoChunkStore(connection),
                    new HazelcastChunkBoard(node.hazelcast()), new MongoSubscriberSource(connection), Clock.systemUTC())
                    .submit(Campaigns.aCampaign().id("dashboard").chunkSize(10).build()).campaign();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> campaigns.find(campaign.id()).orElseThrow().state() == CampaignState.COMPLETED);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
