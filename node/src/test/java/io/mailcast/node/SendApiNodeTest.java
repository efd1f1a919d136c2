package io.mailcast.node;

import io.mailcast.apikey.ApiKey;
import io.mailcast.apikey.ApiKeySecret;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.engine.DeliveryTuning;
import io.mailcast.engine.FailurePolicy;
import io.mailcast.apikey.Webhook;
import io.mailcast.http.SendApiConfig;
import io.mailcast.http.WebhookSignature;
import com.sun.net.httpserver.HttpServer;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.store.MongoApiKeyStore;
import io.mailcast.store.MongoConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node started as bin/node starts it, with --api-port: a message goes in over HTTP and out through its sender. */
class SendApiNodeTest {

    private final EmbeddedMongo mongo = EmbeddedMongo.start("127.0.0.1", 0);
    private final HttpClient http = HttpClient.newHttpClient();
    private MailcastNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.stop();
        }
        mongo.close();
    }

    private int httpPort;

    /** A node with the send API and a key for example.com; returns the key's secret. */
    private String startNodeWithKey(Webhook webhook) throws IOException, InterruptedException {
        int port = freePort();
        httpPort = freePort();
        var cluster = new ClusterConfig("send-api-" + UUID.randomUUID(), List.of("127.0.0.1:" + port), port, null,
                null, "127.0.0.1", 1);
        var config = new NodeConfig(cluster, mongo.uri(), new SenderSettings.Simulated(Duration.ofMillis(5), 0),
                DeliveryTuning.defaults(10, Duration.ofSeconds(5)), httpPort, Duration.ofSeconds(2),
                Duration.ofMillis(500), null, FailurePolicy.DEFAULT, SendApiConfig.onPort(0));
        node = MailcastNode.start(config);
        String secret = ApiKeySecret.generate();
        try (MongoConnection connection = MongoConnection.open(mongo.uri(), Duration.ofSeconds(5))) {
            new MongoApiKeyStore(connection).insert(new ApiKey("k1", "shop", ApiKeySecret.hash(secret),
                    List.of("example.com"), 0, Instant.now(), null, webhook));
        }
        return secret;
    }

    private String post(URI api, String secret) throws IOException, InterruptedException {
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(api.resolve("/v1/messages"))
                .header("Authorization", "Bearer " + secret)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"from": "shop@example.com", "to": "ann@example.org", "subject": "Reset", "text": "Link"}"""))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return accepted.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aMessagePostedToANodeIsSentAndCounted() throws Exception {
        String secret = startNodeWithKey(null);
        URI api = URI.create("http://127.0.0.1:" + node.sendApiPort());

        String id = post(api, secret);
        await().atMost(Duration.ofSeconds(20)).until(() -> get(api.resolve("/v1/messages/" + id), secret)
                .contains("\"status\":\"SENT\""));
        String metrics = get(URI.create("http://127.0.0.1:" + httpPort + "/metrics"), null);
        assertThat(metrics).contains("mailcast_api_messages_accepted_total 1", "mailcast_api_messages_sent_total 1",
                "mailcast_api_queue_depth 0");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theOutcomeIsPostedSignedToTheKeysWebhookAndRetriedAfterAnError() throws Exception {
        String hookSecret = "whsec-" + UUID.randomUUID();
        List<HttpExchangeRecord> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = received.isEmpty() ? 500 : 204; // the first report meets a receiver in trouble
            received.add(new HttpExchangeRecord(status, body, exchange.getRequestHeaders().getFirst("Mailcast-Signature"),
                    exchange.getRequestHeaders().getFirst("Mailcast-Webhook-Id")));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
            String secret = startNodeWithKey(new Webhook(url, hookSecret));
            String id = post(URI.create("http://127.0.0.1:" + node.sendApiPort()), secret);

            await().atMost(Duration.ofSeconds(40)).until(() -> received.size() >= 2);
            Thread.sleep(1_000); // nothing more may come after the 2xx
            assertThat(received).extracting(HttpExchangeRecord::status).containsExactly(500, 204);
            for (HttpExchangeRecord r : received) {
                // Signed over the body as received, at a time within the last minute (the client's verifier's input).
                Instant signedAt = Instant.ofEpochSecond(Long.parseLong(r.signature().replaceAll("^t=(\\d+),.*", "$1")));
                assertThat(signedAt).isBetween(Instant.now().minusSeconds(60), Instant.now());
                assertThat(r.signature()).isEqualTo(WebhookSignature.sign(hookSecret, signedAt, r.body()))
                        .isNotEqualTo(WebhookSignature.sign("another-secret-entirely", signedAt, r.body()));
                assertThat(r.body()).contains("\"type\":\"message.sent\"", "\"id\":\"" + id + "\"",
                        "\"status\":\"SENT\"");
                assertThat(r.eventId()).isEqualTo(id + ":sent:0");
            }
            String metrics = get(URI.create("http://127.0.0.1:" + httpPort + "/metrics"), null);
            assertThat(metrics).contains("mailcast_api_webhooks_total{result=\"delivered\"} 1.0",
                    "mailcast_api_webhooks_total{result=\"failed\"} 1.0");
        } finally {
            receiver.stop(0);
        }
    }

    private record HttpExchangeRecord(int status, String body, String signature, String eventId) {
    }

    private String get(URI uri, String secret) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri);
        if (secret != null) {
            request.header("Authorization", "Bearer " + secret);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
