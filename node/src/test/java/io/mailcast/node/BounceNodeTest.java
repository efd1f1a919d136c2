package io.mailcast.node;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailcast.apikey.ApiKey;
import io.mailcast.apikey.ApiKeySecret;
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
import io.mailcast.http.SendApiConfig;
import io.mailcast.inbound.BounceListenerConfig;
import io.mailcast.lab.fixtures.Dsns;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.lab.fixtures.MongoSubscriberWriter;
import io.mailcast.lab.fixtures.SubscriberGenerator;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.TlsMode;
import io.mailcast.store.MongoApiKeyStore;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.suppression.SuppressionReason;
import io.mailcast.testing.Campaigns;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node with --bounce-domain and --bounce-port, end to end: campaign messages leave through a real relay (GreenMail)
 * with VERP envelope senders, a DSN sent back over SMTP to the node's bounce port marks that delivery BOUNCED and
 * suppresses the address, and /metrics counts it.
 */
class BounceNodeTest {

    private static final byte[] SECRET = "node-bounce-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    private final EmbeddedMongo mongo = EmbeddedMongo.start("127.0.0.1", 0);
    private final GreenMail relay = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    private MailcastNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.stop();
        }
        relay.stop();
        mongo.close();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aDsnForAVerpAddressBouncesThatDeliveryAndSuppressesItsAddress() throws Exception {
        relay.start();
        int port = freePort();
        int httpPort = freePort();
        var cluster = new ClusterConfig("bounce-" + UUID.randomUUID(), List.of("127.0.0.1:" + port), port, null,
                null, "127.0.0.1", 1);
        var smtp = SmtpConfig.of("127.0.0.1", relay.getSmtp().getPort()).withTls(TlsMode.NONE).withPoolSize(2);
        var verp = new VerpAddresses("bounce.example.com", new BounceSigner(SECRET));
        var config = new NodeConfig(cluster, mongo.uri(), new SenderSettings.Smtp(smtp),
                DeliveryTuning.defaults(10, Duration.ofSeconds(5)), httpPort, Duration.ofSeconds(2),
                Duration.ofMillis(300), null, FailurePolicy.DEFAULT, null,
                new BounceSettings(verp, BounceListenerConfig.onPort(0), SoftBouncePolicy.DEFAULT));
        node = MailcastNode.start(config);

        try (MongoConnection connection = MongoConnection.open(mongo.uri(), Duration.ofSeconds(5))) {
            List<Subscriber> people = new ArrayList<>();
            SubscriberGenerator generator = new SubscriberGenerator(1.0, 0.0);
            for (long id = 1; id <= 5; id++) {
                people.add(generator.subscriber(id));
            }
            new MongoSubscriberWriter(connection.database()).insert(people);
            Campaign campaign = new CampaignSubmitter(new MongoCampaignStore(connection), new MongoChunkStore(connection),
                    new HazelcastChunkBoard(node.hazelcast()), new MongoSubscriberSource(connection), Clock.systemUTC())
                    .submit(Campaigns.aCampaign().id("bounce-e2e").chunkSize(5).build()).campaign();
            MongoCampaignStore campaigns = new MongoCampaignStore(connection);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> campaigns.find(campaign.id()).orElseThrow().state() == CampaignState.COMPLETED);

            MimeMessage[] received = relay.getReceivedMessages();
            assertThat(received).hasSize(5);
            for (MimeMessage m : received) {
                assertThat(m.getHeader("Return-Path", null)).startsWith("<bounces+").endsWith("@bounce.example.com>");
            }
            MimeMessage first = received[0];
            String returnPath = first.getHeader("Return-Path", null).replaceAll("[<>]", "");
            String to = ((InternetAddress) first.getAllRecipients()[0]).getAddress();
            assertThat(verp.token(returnPath)).isPresent();

            sendDsn(node.bouncePort(), returnPath, to);

            String subscriberKey = verp.token(returnPath).orElseThrow().subscriberKey();
            SubscriberId subscriber = people.stream().map(Subscriber::id).filter(id -> id.key().equals(subscriberKey))
                    .findFirst().orElseThrow();
            assertThat(new MongoDeliveryStore(connection).recorded(campaign.id(), List.of(subscriber)).get(subscriber)
                    .outcome()).hasToString("BOUNCED");
            assertThat(new MongoSuppressionList(connection).list(SuppressionReason.HARD_BOUNCE, 10))
                    .singleElement().satisfies(s -> {
                        assertThat(s.address()).isEqualToIgnoringCase(to);
                        assertThat(s.sourceCampaign()).isEqualTo("bounce-e2e");
                        assertThat(s.evidence()).contains("5.1.1");
                    });
            assertThat(campaigns.reactions(campaign.id()).hardBounced()).isEqualTo(1);
        }
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("mailcast_bounce_reports_total{verdict=\"hard_bounce\"} 1",
                "mailcast_bounce_reports_total{verdict=\"dropped_unsigned\"} 0");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aSendApiMessageGetsVerpAndItsHardBounceSuppressesTheAddressForTheNextMessage() throws Exception {
        relay.start();
        int port = freePort();
        var cluster = new ClusterConfig("bounce-api-" + UUID.randomUUID(), List.of("127.0.0.1:" + port), port, null,
                null, "127.0.0.1", 1);
        var smtp = SmtpConfig.of("127.0.0.1", relay.getSmtp().getPort()).withTls(TlsMode.NONE).withPoolSize(2);
        var verp = new VerpAddresses("bounce.example.com", new BounceSigner(SECRET));
        node = MailcastNode.start(new NodeConfig(cluster, mongo.uri(), new SenderSettings.Smtp(smtp),
                DeliveryTuning.defaults(10, Duration.ofSeconds(5)), 0, Duration.ofSeconds(2), Duration.ofMillis(300),
                null, FailurePolicy.DEFAULT, SendApiConfig.onPort(0),
                new BounceSettings(verp, BounceListenerConfig.onPort(0), SoftBouncePolicy.DEFAULT)));
        String secret = ApiKeySecret.generate();
        try (MongoConnection connection = MongoConnection.open(mongo.uri(), Duration.ofSeconds(5))) {
            new MongoApiKeyStore(connection).insert(new ApiKey("key-1", "shop", ApiKeySecret.hash(secret),
                    List.of("example.com"), 0, Instant.now(), null));
        }
        HttpClient http = HttpClient.newHttpClient();
        URI api = URI.create("http://127.0.0.1:" + node.sendApiPort() + "/v1/messages");
        String body = """
                {"from": "shop@example.com", "to": ["keep@example.org", "gone@example.org"], "subject": "Receipt",
                 "text": "Thanks"}""";
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(api).header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = accepted.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.getReceivedMessages().length == 2);

        MimeMessage toGone = java.util.Arrays.stream(relay.getReceivedMessages()).filter(m -> {
            try {
                return ((InternetAddress) m.getAllRecipients()[0]).getAddress().equals("gone@example.org");
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).findFirst().orElseThrow();
        String returnPath = toGone.getHeader("Return-Path", null).replaceAll("[<>]", "");
        assertThat(returnPath).startsWith("bounces+").endsWith("@bounce.example.com");
        sendDsn(node.bouncePort(), returnPath, "gone@example.org");

        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(api + "/" + id))
                .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.body()).contains("\"bounces\":[{\"recipient\":\"gone@example.org\",\"kind\":\"hard\","
                + "\"status\":\"5.1.1\"");
        try (MongoConnection connection = MongoConnection.open(mongo.uri(), Duration.ofSeconds(5))) {
            assertThat(new MongoSuppressionList(connection).list(SuppressionReason.HARD_BOUNCE, 10)).singleElement()
                    .satisfies(s -> {
                        assertThat(s.address()).isEqualTo("gone@example.org");
                        assertThat(s.sourceCampaign()).isEqualTo("message-" + id);
                    });
        }
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(api).header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"from": "shop@example.com", "to": "gone@example.org", "subject": "Receipt", "text": "x"}""")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).as(again.body()).isEqualTo(422);
    }

    /** A DSN as a receiving MTA sends it, through Jakarta Mail's SMTP client. */
    private static void sendDsn(int port, String verpAddress, String recipient) throws Exception {
        String dsn = Dsns.hardBounce(verpAddress, recipient);
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(port));
        props.put("mail.smtp.from", "MAILER-DAEMON@mx.example.org");
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(dsn.getBytes(StandardCharsets.US_ASCII)));
        Transport.send(message, new InternetAddress[] {new InternetAddress(verpAddress)});
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
