package io.mailcast.lab.e2e;

import io.mailcast.bounce.BounceSigner;
import io.mailcast.bounce.SoftBouncePolicy;
import io.mailcast.bounce.VerpAddresses;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.engine.CampaignSubmitter;
import io.mailcast.engine.DeliveryTuning;
import io.mailcast.engine.FailurePolicy;
import io.mailcast.inbound.BounceListenerConfig;
import io.mailcast.lab.chaos.CountingSmtpServer;
import io.mailcast.lab.fixtures.Dsns;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.lab.fixtures.MongoSubscriberWriter;
import io.mailcast.node.BounceSettings;
import io.mailcast.node.MailcastNode;
import io.mailcast.node.NodeConfig;
import io.mailcast.node.SenderSettings;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.TlsMode;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.suppression.SuppressionReason;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bounce loop end to end at the size issue 13 asks for: a campaign to 10,000 subscribers through a real SMTP
 * receiver that accepts everything, 2 % of them bouncing afterwards (a DSN to each one's VERP address, over SMTP to the
 * node's listener), then a second campaign to the same audience, which mails none of them and everyone else once.
 */
class BounceLoopEndToEndTest {

    private static final int PEOPLE = 10_000;
    private static final byte[] SECRET = "bounce-loop-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    private final EmbeddedMongo mongo = EmbeddedMongo.start("127.0.0.1", 0);
    private CountingSmtpServer relay;
    private MailcastNode node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.stop();
        }
        if (relay != null) {
            relay.close();
        }
        mongo.close();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void hardBouncesOfTheFirstCampaignAreNotMailedByTheSecond() throws Exception {
        relay = CountingSmtpServer.start(0, Duration.ZERO, Duration.ZERO);
        int port = freePort();
        var cluster = new ClusterConfig("bounce-loop-" + UUID.randomUUID(), List.of("127.0.0.1:" + port), port, null,
                null, "127.0.0.1", 1);
        var verp = new VerpAddresses("bounce.example.com", new BounceSigner(SECRET));
        node = MailcastNode.start(new NodeConfig(cluster, mongo.uri(),
                new SenderSettings.Smtp(SmtpConfig.of("127.0.0.1", relay.port()).withTls(TlsMode.NONE).withPoolSize(8)),
                DeliveryTuning.defaults(200, Duration.ofSeconds(30)), 0, Duration.ofSeconds(5), Duration.ofMillis(300),
                null, FailurePolicy.DEFAULT, null,
                new BounceSettings(verp, BounceListenerConfig.onPort(0), SoftBouncePolicy.DEFAULT)));
        Set<Long> bouncing = LongStream.rangeClosed(1, PEOPLE).filter(id -> id % 50 == 0).boxed().collect(Collectors.toSet());

        try (MongoConnection connection = MongoConnection.open(mongo.uri(), Duration.ofSeconds(10))) {
            List<Subscriber> people = new ArrayList<>();
            for (long id = 1; id <= PEOPLE; id++) {
                people.add(new Subscriber(id, "reader" + id + "@example.org", "Reader " + id, true, Map.of()));
            }
            new MongoSubscriberWriter(connection.database()).insert(people);
            MongoCampaignStore campaigns = new MongoCampaignStore(connection);

            Campaign spring = runCampaign(connection, campaigns, "spring");
            assertThat(relay.counts("spring")).hasSize(PEOPLE).allSatisfy((to, n) -> assertThat(n).as(to).isEqualTo(1));

            sendHardBounces(verp, spring.id(), bouncing);
            assertThat(new MongoSuppressionList(connection).list(SuppressionReason.HARD_BOUNCE, PEOPLE))
                    .extracting(s -> s.address()).containsExactlyInAnyOrderElementsOf(
                            bouncing.stream().map(id -> "reader" + id + "@example.org").toList());
            assertThat(campaigns.reactions(spring.id()).hardBounced()).isEqualTo(bouncing.size());

            Campaign summer = runCampaign(connection, campaigns, "summer");
            Map<String, Integer> second = relay.counts("summer");
            assertThat(second).hasSize(PEOPLE - bouncing.size()).allSatisfy((to, n) -> assertThat(n).as(to).isEqualTo(1));
            assertThat(second.keySet()).doesNotContainAnyElementsOf(
                    bouncing.stream().map(id -> "reader" + id + "@example.org").toList());
            ChunkCounts counts = new MongoDeliveryStore(connection).count(summer.id());
            assertThat(counts.suppressed()).isEqualTo(bouncing.size());
            assertThat(counts.sent()).isEqualTo(PEOPLE - bouncing.size());
        }
    }

    private Campaign runCampaign(MongoConnection connection, MongoCampaignStore campaigns, String id) {
        Campaign campaign = new CampaignSubmitter(campaigns, new MongoChunkStore(connection),
                new HazelcastChunkBoard(node.hazelcast()), new MongoSubscriberSource(connection), Clock.systemUTC())
                .submit(new Campaign(id, "News for {{name}}", "News <news@example.com>", null, "Hello {{name}}", null,
                        Audience.SUBSCRIBED, 500, CampaignState.PLANNING, null, 0, 0, Instant.now(), null, null))
                .campaign();
        await().atMost(Duration.ofMinutes(2)).until(() -> campaigns.find(id).orElseThrow().state() == CampaignState.COMPLETED);
        return campaign;
    }

    /** One SMTP session to the node's bounce listener, a DSN per bouncing subscriber to their message's VERP address. */
    private void sendHardBounces(VerpAddresses verp, String campaignId, Set<Long> bouncing) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(node.bouncePort()));
        props.put("mail.smtp.from", "MAILER-DAEMON@mx.example.org");
        Session session = Session.getInstance(props);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            for (long id : bouncing) {
                String to = "reader" + id + "@example.org";
                String address = verp.forMessage(new OutgoingMessage(campaignId, SubscriberId.of(id),
                        "news@example.com", null, to, null, "x", "x", null, null));
                MimeMessage dsn = new MimeMessage(session, new ByteArrayInputStream(Dsns.hardBounce(address, to)
                        .getBytes(StandardCharsets.US_ASCII)));
                transport.sendMessage(dsn, new InternetAddress[] {new InternetAddress(address)});
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
