package io.mailcast.node;

import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.store.MongoDeliveryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The node's HTTP endpoints, scraped as Prometheus and Kubernetes would during a campaign. */
class MetricsEndpointTest {

    private final NodeCluster cluster = new NodeCluster();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void metricsFollowTheCampaignAndEndEqualToTheDeliveryRecords() throws Exception {
        cluster.populate(3_000, 0.02);
        int port = freePort();
        cluster.startNode(100, 100, 0, port);
        assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
        assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);

        Campaign campaign = cluster.submit("metrics", 100);
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics(port).getOrDefault("mailcast_sends_in_flight", 0L) > 0);
        long sentMidway = metrics(port).get("mailcast_messages_sent_total");
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.state(campaign.id()) == CampaignState.COMPLETED);

        Map<String, Long> end = metrics(port);
        ChunkCounts recorded = new MongoDeliveryStore(cluster.mongo).count(campaign.id());
        assertThat(sentMidway).isLessThan(recorded.sent());
        assertThat(end.get("mailcast_messages_sent_total")).isEqualTo(recorded.sent());
        assertThat(end.get("mailcast_messages_invalid_total")).isEqualTo(recorded.invalid()).isPositive();
        assertThat(end.get("mailcast_messages_failed_total")).isEqualTo(recorded.failed());
        assertThat(end.get("mailcast_chunks_completed_total")).isEqualTo(campaign.chunks());
        assertThat(end.get("mailcast_sends_in_flight")).isZero();
        assertThat(end.get("mailcast_cluster_members")).isEqualTo(1);
    }

    @Test
    void readinessReportsNotReadyWhileTheNodeDrains() throws Exception {
        cluster.populate(1_500, 0);
        int port = freePort();
        MailcastNode node = cluster.startNode(1_500, 200, 0, port);
        cluster.submit("drain", 100);
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics(port).getOrDefault("mailcast_sends_in_flight", 0L) > 0);

        Thread stopping = Thread.ofVirtual().start(node::stop);
        // In-flight sends take 1.5 s to finish: meanwhile the node is alive but tells the orchestrator not to route to it.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> get(port, "/health/ready").statusCode() == 503);
        assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
        stopping.join(Duration.ofSeconds(30));
        cluster.nodes.remove(node);
        assertThat(node.stats().chunksReleased.sum()).isPositive();
    }

    private Map<String, Long> metrics(int port) throws Exception {
        String body = get(port, "/metrics").body();
        return body.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(' ')), l -> Long.parseLong(l.substring(l.indexOf(' ') + 1).strip())));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private boolean reachable(int port) {
        try {
            get(port, "/health/live");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
