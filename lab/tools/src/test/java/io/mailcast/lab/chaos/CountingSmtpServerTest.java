package io.mailcast.lab.chaos;

import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.SmtpSender;
import io.mailcast.sender.smtp.TlsMode;
import io.mailcast.subscriber.SubscriberId;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class CountingSmtpServerTest {

    @Test
    void countsPlainJakartaMailSendsPerRecipient() throws Exception {
        try (CountingSmtpServer smtp = CountingSmtpServer.start(0, Duration.ZERO, Duration.ZERO)) {
            Properties props = new Properties();
            props.setProperty("mail.smtp.host", "127.0.0.1");
            props.setProperty("mail.smtp.port", String.valueOf(smtp.port()));
            props.setProperty("mail.smtp.timeout", "5000");
            Session session = Session.getInstance(props);
            for (String to : new String[] {"a@example.com", "b@example.com", "a@example.com"}) {
                MimeMessage m = new MimeMessage(session);
                m.setFrom(new InternetAddress("from@example.com"));
                m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
                m.setSubject("hi");
                m.setHeader(CountingSmtpServer.CAMPAIGN_HEADER, "c-1");
                // A line starting with a dot is dot-stuffed on the wire and must not end the data.
                m.setText("hello\n.\n..still the body\n");
                Transport.send(m);
            }
            // Several messages on one connection, with RSET/NOOP in between as pooled transports do.
            try (Transport t = session.getTransport("smtp")) {
                t.connect();
                MimeMessage m = new MimeMessage(session);
                m.setFrom(new InternetAddress("from@example.com"));
                m.setSubject("two recipients, no campaign header");
                m.setText("x");
                t.sendMessage(m, new InternetAddress[] {new InternetAddress("c@example.com"), new InternetAddress("d@example.com")});
                assertThat(t.isConnected()).isTrue(); // NOOP
                t.sendMessage(m, new InternetAddress[] {new InternetAddress("c@example.com")});
            }
            assertThat(smtp.counts("c-1")).isEqualTo(Map.of("a@example.com", 2, "b@example.com", 1));
            assertThat(smtp.total("c-1")).isEqualTo(3);
            assertThat(smtp.counts("")).isEqualTo(Map.of("c@example.com", 2, "d@example.com", 1));
            assertThat(smtp.total()).isEqualTo(6);
            smtp.reset();
            assertThat(smtp.total()).isZero();
            assertThat(smtp.counts()).isEmpty();
        }
    }

    @Test
    void countsMailcastSmtpSenderMessagesByCampaignHeader() throws Exception {
        try (CountingSmtpServer smtp = CountingSmtpServer.start(0, Duration.ofMillis(5), Duration.ofMillis(20));
             SmtpSender sender = new SmtpSender(SmtpConfig.of("127.0.0.1", smtp.port()).withTls(TlsMode.NONE)
                     .withPoolSize(2), Clock.systemUTC())) {
            for (long id = 1; id <= 20; id++) {
                SendResult r = sender.send(new OutgoingMessage("campaign-x", SubscriberId.of(id), "News <news@mailcast.example>", null,
                        "user" + id + "@example.org", "User " + id, "Subject " + id, "text " + id, "<p>html</p>", Map.of()));
                assertThat(r.isSent()).as(r.reason()).isTrue();
            }
            assertThat(smtp.total("campaign-x")).isEqualTo(20);
            assertThat(smtp.counts("campaign-x")).hasSize(20).containsEntry("user7@example.org", 1);
            assertThat(smtp.connections()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void dropsTheConnectionAfterCountingTheMessageWhenAsked() throws Exception {
        try (CountingSmtpServer smtp = CountingSmtpServer.start(0, Duration.ZERO, Duration.ZERO);
             SmtpSender sender = new SmtpSender(SmtpConfig.of("127.0.0.1", smtp.port()).withTls(TlsMode.NONE)
                     .withPoolSize(1), Clock.systemUTC())) {
            OutgoingMessage message = new OutgoingMessage("campaign-x", SubscriberId.of(1), "News <news@mailcast.example>", null,
                    "user1@example.org", "User 1", "Subject", "text", null, Map.of());
            smtp.dropAfterDot(1.0);

            SendResult dropped = sender.send(message);

            assertThat(dropped.isSent()).isFalse();
            assertThat(dropped.attemptsInDoubt()).as("the sender cannot know the receiver kept it").isEqualTo(1);
            assertThat(smtp.counts("campaign-x")).containsEntry("user1@example.org", 1);
            assertThat(smtp.droppedAfterDot()).isEqualTo(1);
            smtp.dropAfterDot(0);
            assertThat(sender.send(message).isSent()).isTrue();
            assertThat(smtp.counts("campaign-x")).containsEntry("user1@example.org", 2);
        }
    }
}
