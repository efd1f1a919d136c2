package io.mailcast.node;

import io.mailcast.cluster.ClusterConfig;
import io.mailcast.engine.DeliveryTuning;
import io.mailcast.engine.FailurePolicy;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With --min-cluster-size 2, a node started alone waits for its peer (live, not ready) instead of exiting. */
class QuorumStartTest {

    private final EmbeddedMongo mongo = EmbeddedMongo.start("127.0.0.1", 0);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<CompletableFuture<MailcastNode>> nodes = new ArrayList<>();
    // Each start blocks until the quorum exists, so each needs a thread of its own (the common pool may have one).
    private final ExecutorService starters = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        nodes.forEach(f -> f.thenAccept(MailcastNode::stop));
        nodes.forEach(f -> f.completeExceptionally(new IllegalStateException("test over")));
        starters.shutdownNow();
        mongo.close();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aNodeAloneWaitsNotReadyUntilItsQuorumExists() throws Exception {
        int portA = freePort();
        int portB = freePort();
        int httpA = freePort();
        int httpB = freePort();
        String name = "quorum-" + UUID.randomUUID();
        List<String> members = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);

        nodes.add(CompletableFuture.supplyAsync(() -> start(name, members, portA, httpA), starters));
        await().atMost(Duration.ofSeconds(60)).until(() -> status(httpA, "/health/live") == 200);
        Thread.sleep(3_000);
        assertThat(status(httpA, "/health/ready")).as("alone: not ready").isEqualTo(503);
        assertThat(nodes.getFirst()).as("alone: still waiting, not exited").isNotDone();

        nodes.add(CompletableFuture.supplyAsync(() -> start(name, members, portB, httpB), starters));

        await().atMost(Duration.ofSeconds(60)).until(() -> status(httpA, "/health/ready") == 200
                && status(httpB, "/health/ready") == 200);
        assertThat(nodes.getFirst().get(10, TimeUnit.SECONDS).hazelcast().getCluster().getMembers()).hasSize(2);
    }

    private MailcastNode start(String name, List<String> members, int port, int httpPort) {
        var cluster = new ClusterConfig(name, members, port, null, null, "127.0.0.1", 2);
        var config = new NodeConfig(cluster, mongo.uri(), new SenderSettings.Simulated(Duration.ofMillis(5), 0),
                DeliveryTuning.defaults(10, Duration.ofSeconds(5)), httpPort, Duration.ofSeconds(2),
                Duration.ofMillis(500), null, FailurePolicy.DEFAULT);
        try {
            return MailcastNode.start(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int status(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
