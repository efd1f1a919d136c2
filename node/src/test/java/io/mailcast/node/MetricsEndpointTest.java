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
import java.util.List;
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
        PrometheusText.assumeParserInstalled();
        cluster.populate(3_000, 0.02);
        int port = freePort();
        cluster.startNode(100, 100, 0, port);
        assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
        assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);

        Campaign campaign = cluster.submit("metrics", 100);
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics(port).getOrDefault("mailcast_sends_in_flight", 0.0) > 0);
        double sentMidway = metrics(port).get("mailcast_messages_sent_total");
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.state(campaign.id()) == CampaignState.COMPLETED);

        System.gc(); // GC pause series appear with the node's first collection
        await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "/metrics").body().contains("jvm_gc_pause_seconds_count"));
        HttpResponse<String> scrape = get(port, "/metrics");
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        List<PrometheusText.Sample> end = PrometheusText.parse(scrape.body());
        ChunkCounts recorded = new MongoDeliveryStore(cluster.mongo).count(campaign.id());
        assertThat(sentMidway).isLessThan(recorded.sent());
        assertThat(value(end, "mailcast_messages_sent_total")).isEqualTo(recorded.sent());
        assertThat(value(end, "mailcast_messages_invalid_total")).isEqualTo(recorded.invalid()).isPositive();
        assertThat(value(end, "mailcast_messages_failed_total")).isEqualTo(recorded.failed());
        assertThat(value(end, "mailcast_chunks_completed_total")).isEqualTo(campaign.chunks());
        assertThat(value(end, "mailcast_sends_in_flight")).isZero();
        assertThat(value(end, "mailcast_cluster_members")).isEqualTo(1);
        assertThat(PrometheusText.typeOf(end, "mailcast_messages_sent")).isEqualTo("counter");

        // Histograms: every accepted message was timed once, against the relay that took it; every chunk run once.
        assertThat(PrometheusText.typeOf(end, "mailcast_send_duration_seconds")).isEqualTo("histogram");
        Map<String, String> sentBySimulator = Map.of("relay", "simulated", "outcome", "sent");
        assertThat(PrometheusText.value(end, "mailcast_send_duration_seconds_count", sentBySimulator)).contains((double) recorded.sent());
        assertThat(PrometheusText.value(end, "mailcast_send_duration_seconds_bucket", with(sentBySimulator, "le", "+Inf")))
                .contains((double) recorded.sent());
        // The simulated relay answers after 100 ms: nothing in the 50 ms bucket, everything by 250 ms.
        assertThat(PrometheusText.value(end, "mailcast_send_duration_seconds_bucket", with(sentBySimulator, "le", "0.05"))).contains(0.0);
        assertThat(PrometheusText.value(end, "mailcast_send_duration_seconds_bucket", with(sentBySimulator, "le", "0.25")))
                .contains((double) recorded.sent());
        assertThat(PrometheusText.value(end, "mailcast_chunk_duration_seconds_count", Map.of("result", "completed")))
                .contains((double) campaign.chunks());
        assertThat(PrometheusText.value(end, "mailcast_store_write_duration_seconds_count", Map.of("store", "deliveries", "result", "ok")))
                .hasValueSatisfying(writes -> assertThat(writes).isPositive());

        // The JVM and process series every Java service exports.
        double heap = end.stream().filter(v -> v.name().equals("jvm_memory_used_bytes") && "heap".equals(v.labels().get("area")))
                .mapToDouble(PrometheusText.Sample::value).sum();
        assertThat(heap).isPositive();
        assertThat(end).extracting(PrometheusText.Sample::family)
                .contains("jvm_gc_pause_seconds", "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds",
                        "jvm_classes_loaded_classes");
    }

    private static double value(List<PrometheusText.Sample> samples, String name) {
        return PrometheusText.value(samples, name, Map.of()).orElseThrow(() -> new AssertionError("no sample " + name));
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> all = new java.util.HashMap<>(labels);
        all.put(key, value);
        return all;
    }

    @Test
    void readinessReportsNotReadyWhileTheNodeDrains() throws Exception {
        cluster.populate(1_500, 0);
        int port = freePort();
        MailcastNode node = cluster.startNode(1_500, 200, 0, port);
        cluster.submit("drain", 100);
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics(port).getOrDefault("mailcast_sends_in_flight", 0.0) > 0);

        Thread stopping = Thread.ofVirtual().start(node::stop);
        // In-flight sends take 1.5 s to finish: meanwhile the node is alive but tells the orchestrator not to route to it.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> get(port, "/health/ready").statusCode() == 503);
        assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
        stopping.join(Duration.ofSeconds(30));
        cluster.nodes.remove(node);
        assertThat(node.stats().chunksReleased.sum()).isPositive();
    }

    /** Unlabelled series only: quick enough to poll. */
    private Map<String, Double> metrics(int port) throws Exception {
        String body = get(port, "/metrics").body();
        return body.lines().filter(l -> !l.startsWith("#") && !l.isBlank() && !l.contains("{"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(' ')), l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1).strip())));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
