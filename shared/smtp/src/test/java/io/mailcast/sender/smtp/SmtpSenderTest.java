package io.mailcast.sender.smtp;

import io.mailcast.delivery.Outcome;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.smtp.FakeSmtpServer.Fault;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SmtpSender against a relay that misbehaves on demand and offers PIPELINING and 8BITMIME (the subclass runs every case
 * against one that offers neither).
 */
class SmtpSenderTest {

    private final SmtpTestClock clock = new SmtpTestClock(Instant.parse("2025-03-01T10:00:00Z"));
    private FakeSmtpServer relay;
    private SmtpSender sender;

    @BeforeEach
    void startRelay() throws IOException {
        relay = new FakeSmtpServer(extensions());
    }

    boolean extensions() {
        return true;
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close();
        }
        relay.close();
    }

    private SmtpConfig config() {
        return SmtpConfig.of("127.0.0.1", relay.port())
                .withName("fake")
                .withTls(TlsMode.NONE)
                .withHeloName("node1.mailcast.test")
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    private SmtpSender sender(SmtpConfig config) {
        sender = new SmtpSender(config, clock);
        return sender;
    }

    private static OutgoingMessage message(long subscriberId, String to) {
        return new OutgoingMessage("spring-sale", subscriberId, "News <news@example.com>", null, to, "Reader " + subscriberId,
                "Hello " + subscriberId, "text body", null, Map.of());
    }

    private static OutgoingMessage message(long subscriberId) {
        return message(subscriberId, "reader" + subscriberId + "@example.org");
    }

    @Test
    void reusesAFewConnectionsForManyConcurrentSends() throws Exception {
        SmtpSender smtp = sender(config().withPoolSize(2));
        List<Future<SendResult>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) {
                long id = i;
                results.add(threads.submit(() -> smtp.send(message(id))));
            }
        }
        for (Future<SendResult> result : results) {
            assertThat(result.get()).isEqualTo(SendResult.sent("fake"));
        }
        assertThat(relay.received()).hasSize(50);
        assertThat(relay.connections()).isBetween(1, 2);
    }

    @Test
    void envelopeUsesOnlyTheValidatedRecipientInAsciiForm() throws Exception {
        OutgoingMessage hostile = new OutgoingMessage("c1", 7, "news@example.com", null, "user@münchen.de",
                "Eve\r\nBcc: evil@x.com", "Hi\r\nBcc: evil@x.com", "body", null, Map.of());

        assertThat(sender(config()).send(hostile).isSent()).isTrue();

        FakeSmtpServer.Received received = relay.received().getFirst();
        assertThat(received.recipients()).containsExactly("user@xn--mnchen-3ya.de");
        assertThat(received.mailFrom()).isEqualTo("news@example.com");
        assertThat(received.data()).doesNotContain("\r\nBcc:");
    }

    @Test
    void invalidRecipientIsReportedWithoutContactingTheRelay() throws Exception {
        SendResult result = sender(config()).send(message(1, "no-at-sign.example.org"));

        assertThat(result).isEqualTo(SendResult.invalid("missing @"));
        assertThat(relay.connections()).isZero();
    }

    @Test
    void temporaryRecipientRejectionIsRetryableAndKeepsTheConnection() throws Exception {
        SmtpSender smtp = sender(config().withPoolSize(1));
        relay.failNext(Fault.TEMP_FAIL_RCPT);

        SendResult result = smtp.send(message(1));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.retryable()).isTrue();
        assertThat(result.reason()).startsWith("451 4.3.0").contains("try later");
        assertThat(result.relay()).isEqualTo("fake");
        assertThat(smtp.send(message(2)).isSent()).isTrue();
        assertThat(relay.connections()).isEqualTo(1);
    }

    @Test
    void permanentRecipientRejectionKeepsTheRelayText() throws Exception {
        SmtpSender smtp = sender(config().withPoolSize(1));
        relay.failNext(Fault.PERM_FAIL_RCPT);

        SendResult result = smtp.send(message(1));

        assertThat(result).isEqualTo(SendResult.failed("550 5.1.1 <reader1@example.org>: mailbox unknown", false, "fake"));
        assertThat(smtp.send(message(2)).isSent()).isTrue();
        assertThat(relay.connections()).isEqualTo(1);
    }

    @Test
    void repliesAfterDataAreClassifiedByCode() throws Exception {
        SmtpSender smtp = sender(config().withPoolSize(1));
        relay.failNext(Fault.TEMP_FAIL_DATA, Fault.PERM_FAIL_DATA);

        SendResult greylisted = smtp.send(message(1));
        SendResult spam = smtp.send(message(2));

        assertThat(greylisted.retryable()).isTrue();
        assertThat(greylisted.reason()).isEqualTo("451 4.7.1 greylisted, come back later");
        assertThat(spam.retryable()).isFalse();
        assertThat(spam.reason()).isEqualTo("554 5.7.1 message rejected as spam");
        assertThat(relay.received()).isEmpty();
        assertThat(smtp.send(message(3)).isSent()).isTrue();
    }

    @Test
    void droppedConnectionIsRetryableAndTheNextSendReconnects() throws Exception {
        SmtpSender smtp = sender(config().withPoolSize(1));
        assertThat(smtp.send(message(1)).isSent()).isTrue();
        relay.failNext(Fault.DROP_AT_MAIL);

        SendResult dropped = smtp.send(message(2));

        assertThat(dropped.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(dropped.retryable()).isTrue();
        assertThat(smtp.send(message(3)).isSent()).isTrue();
        assertThat(relay.connections()).isEqualTo(2);
    }

    @Test
    void serviceClosingIsRetryableAndTheConnectionIsReplaced() throws Exception {
        SmtpSender smtp = sender(config().withPoolSize(1));
        relay.failNext(Fault.SERVICE_CLOSING);

        SendResult closing = smtp.send(message(1));

        assertThat(closing.retryable()).isTrue();
        assertThat(closing.reason()).contains("421");
        assertThat(smtp.send(message(2)).isSent()).isTrue();
        assertThat(relay.connections()).isEqualTo(2);
    }

    @Test
    void slowReplyTimesOutAsRetryable() throws Exception {
        SmtpSender smtp = sender(config().withPoolSize(1)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(2)));
        relay.slowReplyDelay(Duration.ofSeconds(3));
        relay.failNext(Fault.SLOW_DATA_REPLY);

        long start = System.nanoTime();
        SendResult slow = smtp.send(message(1));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(slow.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(slow.retryable()).isTrue();
        assertThat(slow.reason()).containsIgnoringCase("timed out");
        assertThat(smtp.send(message(2)).isSent()).isTrue();
        assertThat(relay.connections()).isEqualTo(2);
    }

    @Test
    void staleIdleConnectionIsProbedAndReplacedWithoutAFailure() throws Exception {
        SmtpSender smtp = sender(config().withPoolSize(1));
        assertThat(smtp.send(message(1)).isSent()).isTrue();
        relay.dropConnections();
        await().until(() -> relay.openConnections() == 0);
        clock.advance(Duration.ofMinutes(1));

        assertThat(smtp.send(message(2)).isSent()).isTrue();
        assertThat(relay.connections()).isEqualTo(2);
    }

    @Test
    void unreachableRelayIsRetryable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SendResult result = sender(SmtpConfig.of("127.0.0.1", closedPort).withTls(TlsMode.NONE).withName("down"))
                .send(message(1));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.retryable()).isTrue();
        assertThat(result.reason()).startsWith("cannot connect to relay");
        assertThat(result.relay()).isEqualTo("down");
    }

    @Test
    void authenticatesWithTheConfiguredCredentials() throws Exception {
        relay.requireAuth("mailer", "s3cret");

        assertThat(sender(config().withCredentials("mailer", "s3cret")).send(message(1)).isSent()).isTrue();
        assertThat(relay.received()).hasSize(1);
    }

    @Test
    void rejectedCredentialsAreRetryableNotThePermanentFaultOfTheRecipient() throws Exception {
        relay.requireAuth("mailer", "s3cret");

        SendResult result = sender(config().withCredentials("mailer", "wrong")).send(message(1));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.retryable()).isTrue();
        assertThat(result.reason()).startsWith("relay rejected the SMTP user or password").contains("535");
    }

    @Test
    void closeHangsUpAndIsIdempotent() throws Exception {
        SmtpSender smtp = sender(config().withPoolSize(2));
        assertThat(smtp.send(message(1)).isSent()).isTrue();

        smtp.close();
        smtp.close();

        await().until(() -> relay.openConnections() == 0);
        SendResult afterClose = smtp.send(message(2));
        assertThat(afterClose.retryable()).isTrue();
        assertThat(afterClose.reason()).contains("closed");
    }

    @Test
    void badFromAddressIsAPermanentFailureOfTheCampaign() throws Exception {
        OutgoingMessage badFrom = new OutgoingMessage("c1", 1, "News <news@localhost>", null, "a@example.org", null,
                "s", "t", null, Map.of());

        SendResult result = sender(config()).send(badFrom);

        assertThat(result.retryable()).isFalse();
        assertThat(result.reason()).isEqualTo("cannot build the message: From address is invalid: domain has no dot");
        assertThat(relay.connections()).isZero();
    }

    @Test
    void linesStartingWithADotArriveIntact() throws Exception {
        String body = ".\n.leading dot\n..two dots\nlast line .\n.";
        OutgoingMessage dotted = new OutgoingMessage("c1", 1, "news@example.com", null, "a@example.org", null, "s", body,
                "<p>\n.html dot</p>", Map.of());

        assertThat(sender(config()).send(dotted).isSent()).isTrue();

        String data = relay.received().getFirst().data();
        MimeMessage parsed = new MimeMessage(
                Session.getInstance(new Properties()),
                new ByteArrayInputStream(data.getBytes(StandardCharsets.US_ASCII)));
        var parts = (MimeMultipart) parsed.getContent();
        assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n")).isEqualTo(body);
        assertThat(((String) parts.getBodyPart(1).getContent()).replace("\r\n", "\n")).isEqualTo("<p>\n.html dot</p>");
    }

    @Test
    void aRelayThatStopsReadingIsGivenUpAfterTheWriteTimeout() throws Exception {
        SmtpSender smtp = sender(config().withPoolSize(1)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMillis(500)));
        relay.slowReplyDelay(Duration.ofSeconds(20));
        relay.failNext(Fault.STALL_IN_DATA);
        // Far more than loopback socket buffers hold, so the write blocks once the relay stops reading.
        String huge = "x".repeat(60) + "\n";
        OutgoingMessage big = new OutgoingMessage("c1", 1, "news@example.com", null, "a@example.org", null, "s",
                huge.repeat(600_000), null, Map.of());

        long start = System.nanoTime();
        SendResult stalled = smtp.send(big);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(stalled.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(stalled.retryable()).isTrue();
        assertThat(stalled.reason()).startsWith("connection to relay failed");
        assertThat(smtp.send(message(2)).isSent()).isTrue();
        assertThat(relay.connections()).isEqualTo(2);
    }

    @Test
    void bodiesGoAsRawUtf8OnlyToARelayThatOffers8BitMime() throws Exception {
        SmtpSender smtp = sender(config().withPoolSize(1));
        OutgoingMessage unicode = new OutgoingMessage("c1", 1, "news@example.com", null, "a@example.org", "Zoë",
                "Grüße", "Grüße, Zoë 🚀, see you at the meetup", null, Map.of());
        // The first connection tells whether the relay offers 8BITMIME; later messages use it.
        assertThat(smtp.send(message(1)).isSent()).isTrue();

        assertThat(smtp.send(unicode).isSent()).isTrue();

        FakeSmtpServer.Received received = relay.received().getLast();
        if (extensions()) {
            assertThat(received.mailParameters()).isEqualTo("BODY=8BITMIME");
            assertThat(received.data()).contains("Content-Transfer-Encoding: 8bit").contains("Grüße, Zoë 🚀, see you at the meetup");
        } else {
            assertThat(received.mailParameters()).isEmpty();
            assertThat(received.data()).contains("Content-Transfer-Encoding: quoted-printable").doesNotContain("Zoë");
            assertThat(received.data().chars()).allMatch(c -> c < 128);
        }
        MimeMessage parsed = new MimeMessage(
                Session.getInstance(new Properties()),
                new ByteArrayInputStream(received.data().getBytes(StandardCharsets.UTF_8)));
        assertThat(((String) parsed.getContent()).strip()).isEqualTo("Grüße, Zoë 🚀, see you at the meetup");
        assertThat(parsed.getSubject()).isEqualTo("Grüße");
    }
}
