package io.mailcast.lab.e2e;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignState;
import io.mailcast.cli.CapturedRun;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.cluster.HazelcastConfigs;
import io.mailcast.coordinator.CliRunner;
import io.mailcast.engine.CampaignSubmitter;
import io.mailcast.engine.DeliveryTuning;
import io.mailcast.engine.FailurePolicy;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.lab.fixtures.MongoSubscriberWriter;
import io.mailcast.lab.fixtures.SubscriberGenerator;
import io.mailcast.node.MailcastNode;
import io.mailcast.node.NodeConfig;
import io.mailcast.node.SenderSettings;
import io.mailcast.sender.AddressValidator;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.TlsMode;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.Subscriber;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline with real parts: two nodes forming a Hazelcast cluster over TCP on loopback, the real MongoDB
 * driver against the embedded wire server, and real SMTP into GreenMail. Every eligible subscriber's mailbox must hold
 * exactly one correctly personalised message; unsubscribed and malformed addresses none.
 */
class SmtpEndToEndTest {

    private final EmbeddedMongo embedded = EmbeddedMongo.start("127.0.0.1", 0);
    private final GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    private final List<MailcastNode> nodes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        nodes.forEach(MailcastNode::stop);
        greenMail.stop();
        embedded.close();
    }

    @Test
    void everyEligibleSubscriberGetsExactlyOnePersonalisedMessage() throws Exception {
        greenMail.start();
        int smtpPort = greenMail.getSmtp().getPort();
        List<Subscriber> people = new ArrayList<>();
        SubscriberGenerator generator = new SubscriberGenerator(2.0 / 3, 0.05);
        for (long id = 1; id <= 600; id++) {
            people.add(generator.subscriber(id));
        }
        try (MongoConnection mongo = MongoConnection.open(embedded.uri(), Duration.ofSeconds(5)).ensureIndexes()) {
            new MongoSubscriberWriter(mongo.database()).insert(people);

            String clusterName = "e2e-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
            int basePort = 6200 + ThreadLocalRandom.current().nextInt(400);
            List<String> members = List.of("127.0.0.1:" + basePort, "127.0.0.1:" + (basePort + 1));
            for (int i = 0; i < 2; i++) {
                var cluster = new ClusterConfig(clusterName, members, basePort + i, null, null, "127.0.0.1", 1);
                var smtp = SmtpConfig.of("127.0.0.1", smtpPort).withTls(TlsMode.NONE).withPoolSize(3);
                nodes.add(MailcastNode.start(new NodeConfig(cluster, embedded.uri(), new SenderSettings.Smtp(smtp),
                        DeliveryTuning.defaults(50, Duration.ofSeconds(10)), 0, Duration.ofSeconds(5), Duration.ofMillis(300), null, FailurePolicy.DEFAULT)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> nodes.getFirst().hazelcast().getCluster().getMembers().size() == 2);

            HazelcastInstance client = HazelcastClient.newHazelcastClient(
                    HazelcastConfigs.client(ClusterConfig.local(clusterName, members), Duration.ofSeconds(20)));
            Campaign campaign;
            try {
                campaign = new CampaignSubmitter(new MongoCampaignStore(mongo), new MongoChunkStore(mongo),
                        new HazelcastChunkBoard(client), new MongoSubscriberSource(mongo), Clock.systemUTC())
                        .submit(new Campaign("e2e", "News for {{name}}", "Mailcast News <news@mailcast.example>", null,
                                "Hello {{name}} from {{attributes.city}}", "<p>Hello <b>{{name}}</b></p>",
                                Audience.SUBSCRIBED, 40, CampaignState.PLANNING, null, 0, 0, Instant.now(), null, null))
                        .campaign();
            } finally {
                client.shutdown();
            }
            MongoCampaignStore campaigns = new MongoCampaignStore(mongo);
            await().atMost(Duration.ofSeconds(60)).until(() -> campaigns.find(campaign.id()).orElseThrow().state() == CampaignState.COMPLETED);

            // What an operator sees: the status of the finished campaign, as JSON and per node from the live cluster.
            CapturedRun json = CliRunner.run("status", campaign.id(), "--json", "--mongo-uri", embedded.uri());
            assertThat(json.code()).isZero();
            org.bson.Document status = org.bson.Document.parse(json.out().strip());
            long validSubscribed = people.stream().filter(s -> s.subscribed() && AddressValidator.problem(s.email()).isEmpty()).count();
            assertThat(status.getString("state")).isEqualTo("COMPLETED");
            assertThat(((Number) status.get("sent")).longValue()).isEqualTo(validSubscribed);
            assertThat(((Number) status.get("invalid")).longValue()).isEqualTo(campaign.eligible() - validSubscribed);
            assertThat(((Number) status.get("remaining")).longValue()).isZero();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                CapturedRun perNode = CliRunner.run("status", campaign.id(), "--per-node", "--mongo-uri", embedded.uri(),
                        "--cluster-name", clusterName, "--members", String.join(",", members));
                assertThat(perNode.out()).contains("node 127.0.0.1:" + basePort).contains("node 127.0.0.1:" + (basePort + 1));
            });
        }

        Map<String, List<MimeMessage>> byRecipient = new HashMap<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            String to = ((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress();
            byRecipient.computeIfAbsent(to, k -> new ArrayList<>()).add(m);
        }
        int expected = 0;
        for (Subscriber s : people) {
            boolean valid = AddressValidator.problem(s.email()).isEmpty();
            List<MimeMessage> got = byRecipient.getOrDefault(s.email(), List.of());
            if (s.subscribed() && valid) {
                expected++;
                assertThat(got).as("messages to %s", s.email()).hasSize(1);
                MimeMessage m = got.getFirst();
                assertThat(m.getSubject()).isEqualTo("News for " + s.name());
                MimeMultipart alternative = (MimeMultipart) m.getContent();
                assertThat(alternative.getContentType()).startsWith("multipart/alternative");
                assertThat((String) alternative.getBodyPart(0).getContent())
                        .isEqualTo("Hello " + s.name() + " from " + s.attributes().get("city"));
                assertThat((String) alternative.getBodyPart(1).getContent()).contains("<b>" + s.name() + "</b>");
                assertThat(m.getHeader("X-Mailcast-Subscriber")[0]).isEqualTo(String.valueOf(s.id()));
            } else {
                assertThat(got).as("messages to %s (subscribed=%s, valid=%s)", s.email(), s.subscribed(), valid).isEmpty();
            }
        }
        assertThat(greenMail.getReceivedMessages()).hasSize(expected);
        assertThat(people).anyMatch(s -> s.subscribed() && AddressValidator.problem(s.email()).isPresent());
    }
}
