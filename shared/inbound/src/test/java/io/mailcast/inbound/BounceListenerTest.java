package io.mailcast.inbound;

import io.mailcast.bounce.BounceProcessor;
import io.mailcast.bounce.BounceSigner;
import io.mailcast.bounce.InboundVerdict;
import io.mailcast.bounce.SoftBouncePolicy;
import io.mailcast.bounce.VerpAddresses;
import io.mailcast.campaign.CampaignReactions;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.Outcome;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoBounceStore;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.suppression.Suppression;
import io.mailcast.suppression.SuppressionReason;
import io.mailcast.testing.MongoFixture;
import io.mailcast.testing.SettableClock;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Real DSNs and ARF reports sent over SMTP to the listener, recorded in an embedded MongoDB. */
class BounceListenerTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final Instant SENT_AT = Instant.parse("2025-03-01T10:00:00Z");

    private final MongoCampaignStore campaigns = new MongoCampaignStore(mongo.connection());
    private final SettableClock clock = new SettableClock(SENT_AT.plusSeconds(3600));
    private final VerpAddresses verp = new VerpAddresses("bounce.example.com",
            new BounceSigner("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8)));
    private MongoDeliveryStore deliveries;
    private MongoSuppressionList suppressions;
    private MongoBounceStore bounces;
    private BounceProcessor processor;
    private BounceListener listener;

    @BeforeEach
    void start() {
        mongo.dropAll();
        deliveries = new MongoDeliveryStore(mongo.connection());
        suppressions = new MongoSuppressionList(mongo.connection());
        bounces = new MongoBounceStore(mongo.connection());
        mongo.connection().database().getCollection(Collections.CAMPAIGNS).insertOne(new Document("_id", "spring-sale"));
        processor = new BounceProcessor(verp, bounces, suppressions, new SoftBouncePolicy(3, Duration.ofDays(7)), clock);
        listener = BounceListener.start(BounceListenerConfig.onPort(0), processor);
    }

    @AfterEach
    void stop() {
        listener.close();
    }

    /** A sent delivery and the VERP address its message went out with. */
    private String sent(String campaignId, long subscriber, String email) {
        deliveries.record(List.of(new Delivery(campaignId, SubscriberId.of(subscriber), email, Outcome.SENT, null,
                null, 1, "node-1", "smtp", SENT_AT, false)));
        return verp.forMessage(new OutgoingMessage(campaignId, SubscriberId.of(subscriber), "news@example.com", null,
                email, null, "Spring sale", "text", null, null));
    }

    private String send(String rcpt, String message) throws Exception {
        try (SmtpClient smtp = new SmtpClient(listener.port())) {
            return smtp.send("", rcpt, message);
        }
    }

    private Document delivery(String campaignId, long subscriber) {
        return mongo.connection().database().getCollection(Collections.DELIVERIES)
                .find(new Document("_id", campaignId + ":" + subscriber)).first();
    }

    @Test
    void aHardBounceSuppressesTheAddressWithEvidenceAndMarksTheDeliveryBounced() throws Exception {
        String verpAddress = sent("spring-sale", 7, "Ann@Example.org");

        String reply = send(verpAddress, Reports.dsn(verpAddress, "failed", "5.1.1",
                "550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown"));

        assertThat(reply).startsWith("250");
        assertThat(suppressions.list(null, 10)).singleElement().satisfies(s -> {
            assertThat(s.address()).isEqualTo("Ann@example.org"); // normalised: the domain only
            assertThat(s.reason()).isEqualTo(SuppressionReason.HARD_BOUNCE);
            assertThat(s.sourceCampaign()).isEqualTo("spring-sale");
            assertThat(s.evidence()).contains("5.1.1").contains("User unknown");
        });
        Document d = delivery("spring-sale", 7);
        assertThat(d.getString("outcome")).isEqualTo("BOUNCED");
        Document bounce = d.get("bounce", Document.class);
        assertThat(bounce.getString("kind")).isEqualTo("HARD");
        assertThat(bounce.getString("status")).isEqualTo("5.1.1");
        assertThat(bounce.getString("diagnostic")).contains("User unknown");
        assertThat(campaigns.reactions("spring-sale")).isEqualTo(new CampaignReactions(0, 1, 1, 0));
        // The send happened: chunk counts still count it as sent.
        assertThat(deliveries.count("spring-sale").sent()).isEqualTo(1);
        assertThat(processor.stats().get(InboundVerdict.HARD_BOUNCE)).isEqualTo(1);

        // The same DSN again changes nothing.
        assertThat(send(verpAddress, Reports.dsn(verpAddress, "failed", "5.1.1", "550 again"))).startsWith("250");
        assertThat(campaigns.reactions("spring-sale").bounced()).isEqualTo(1);
        assertThat(processor.stats().get(InboundVerdict.REPEATED)).isEqualTo(1);
    }

    @Test
    void softBouncesSuppressOnlyWhenTheyPassTheLimitWithinTheWindow() throws Exception {
        // Three campaigns' messages to one address; one soft bounce each.
        String first = sent("spring-sale", 1, "bob@example.org");
        String second = sent("summer-sale", 1, "bob@example.org");
        String third = sent("autumn-sale", 1, "bob@example.org");
        String fourth = sent("winter-sale", 1, "bob@example.org");

        send(first, Reports.dsn(first, "failed", "4.2.2", "452 4.2.2 Mailbox full"));
        clock.advance(Duration.ofDays(8)); // the first one falls out of the 7-day window
        send(second, Reports.dsn(second, "failed", "4.2.2", "452 4.2.2 Mailbox full"));
        send(third, Reports.dsn(third, "failed", "4.4.7", "Message expired"));
        assertThat(suppressions.list(null, 10)).isEmpty();
        assertThat(delivery("spring-sale", 1).getString("outcome")).isEqualTo("BOUNCED");
        assertThat(delivery("spring-sale", 1).get("bounce", Document.class).getString("kind")).isEqualTo("SOFT");

        clock.advance(Duration.ofDays(1));
        send(fourth, Reports.dsn(fourth, "failed", "4.2.2", "452 4.2.2 Mailbox full"));

        assertThat(suppressions.list(null, 10)).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(SuppressionReason.SOFT_BOUNCE);
            assertThat(s.sourceCampaign()).isEqualTo("winter-sale");
            assertThat(s.evidence()).startsWith("3 soft bounces").contains("4.2.2");
        });
        assertThat(processor.stats().get(InboundVerdict.SOFT_BOUNCE)).isEqualTo(4);
    }

    @Test
    void aDelayWarningIsNoBounce() throws Exception {
        String verpAddress = sent("spring-sale", 3, "cy@example.org");

        assertThat(send(verpAddress, Reports.dsn(verpAddress, "delayed", "4.4.1", "connection timed out"))).startsWith("250");

        assertThat(delivery("spring-sale", 3).getString("outcome")).isEqualTo("SENT");
        assertThat(processor.stats().get(InboundVerdict.DROPPED_NOT_A_REPORT)).isEqualTo(1);
    }

    @Test
    void aComplaintSuppressesAndCountsAgainstTheCampaign() throws Exception {
        String verpAddress = sent("spring-sale", 9, "dee@example.org");

        assertThat(send(verpAddress, Reports.arf(verpAddress, "abuse"))).startsWith("250");

        assertThat(suppressions.list(SuppressionReason.COMPLAINT, 10)).extracting(Suppression::address)
                .containsExactly("dee@example.org");
        Document d = delivery("spring-sale", 9);
        assertThat(d.getString("outcome")).as("the message arrived").isEqualTo("SENT");
        assertThat(d.get("complaint", Document.class).getString("status")).isEqualTo("abuse");
        assertThat(campaigns.reactions("spring-sale")).isEqualTo(new CampaignReactions(0, 0, 0, 1));
    }

    @Test
    void forgedUnsignedAndAutoReplyMailIsDroppedAndCounted() throws Exception {
        String verpAddress = sent("spring-sale", 5, "eve@example.org");
        String local = verpAddress.substring(0, verpAddress.indexOf('@'));
        char last = local.charAt(local.length() - 1);
        String forged = local.substring(0, local.length() - 1) + (last == 'A' ? 'B' : 'A') + "@bounce.example.com";

        assertThat(send(forged, Reports.dsn(forged, "failed", "5.1.1", "550 unknown"))).startsWith("250");
        assertThat(send("postmaster@bounce.example.com", Reports.dsn("x", "failed", "5.1.1", "550"))).startsWith("250");
        assertThat(send(verpAddress, Reports.autoReply(verpAddress))).startsWith("250");
        assertThat(send(verpAddress, "Content-Type: multipart/report; boundary=\"x\"\n\n--x\nbroken")).startsWith("250");

        assertThat(suppressions.list(null, 10)).isEmpty();
        assertThat(delivery("spring-sale", 5).getString("outcome")).isEqualTo("SENT");
        assertThat(processor.stats().get(InboundVerdict.DROPPED_UNSIGNED)).isEqualTo(2);
        assertThat(processor.stats().get(InboundVerdict.DROPPED_NOT_A_REPORT)).isEqualTo(2);
    }

    @Test
    void aSignedTokenWithoutADeliveryChangesNothing() throws Exception {
        String verpAddress = verp.forMessage(new OutgoingMessage("gone", SubscriberId.of(1), "news@example.com", null,
                "x@example.org", null, "s", "t", null, null));

        assertThat(send(verpAddress, Reports.dsn(verpAddress, "failed", "5.1.1", "550"))).startsWith("250");

        assertThat(suppressions.list(null, 10)).isEmpty();
        assertThat(processor.stats().get(InboundVerdict.DROPPED_NO_DELIVERY)).isEqualTo(1);
    }

    @Test
    void mailForOtherDomainsIsRefusedAndOversizedMessagesToo() throws Exception {
        try (SmtpClient smtp = new SmtpClient(listener.port())) {
            assertThat(smtp.command("MAIL FROM:<>")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<victim@example.org>")).startsWith("550");
            assertThat(smtp.command("RCPT TO:<bounces+x@bounce.example.com.evil.org>")).startsWith("550");
        }
        String verpAddress = sent("spring-sale", 6, "fay@example.org");
        String huge = Reports.autoReply(verpAddress) + "x".repeat(80).concat("\n").repeat(8000);

        assertThat(send(verpAddress, huge)).startsWith("552");
        assertThat(delivery("spring-sale", 6).getString("outcome")).isEqualTo("SENT");
    }
}
