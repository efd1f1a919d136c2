package io.mailcast.sender.smtp;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.subscriber.SubscriberId;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end through a real SMTP server: what arrives is what a mail client would see. */
class SmtpSenderGreenMailTest {

    private static final String UNICODE = "Grüße, Zoë 🚀";
    private static final Instant NOW = Instant.parse("2025-03-01T10:15:30Z");

    private final UnsubscribeLinks links = new UnsubscribeLinks("https://mail.example.com/unsubscribe",
            "unsubscribe@example.com", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private GreenMail greenMail;
    private SmtpSender sender;

    @BeforeEach
    void start() {
        greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        SmtpConfig config = SmtpConfig.of(greenMail.getSmtp().getServerSetup().getBindAddress(), greenMail.getSmtp().getPort())
                .withName("greenmail")
                .withTls(TlsMode.NONE)
                .withPoolSize(2);
        sender = new SmtpSender(config, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        sender.close();
        greenMail.stop();
    }

    @Test
    void deliversUtf8MultipartMessagesWithAllHeaders() throws Exception {
        for (long id = 1; id <= 3; id++) {
            OutgoingMessage message = new OutgoingMessage("spring-sale", SubscriberId.of(id), "Zoë's Café <news@example.com>",
                    "Support Team <help@example.com>", "reader" + id + "@example.org", "Zoë Müller " + id,
                    UNICODE + " #" + id, UNICODE + " (text)", "<p>" + UNICODE + "</p>", links.headers("spring-sale", SubscriberId.of(id)));
            assertThat(sender.send(message)).isEqualTo(SendResult.sent("greenmail"));
        }
        assertThat(greenMail.waitForIncomingEmail(5_000, 3)).isTrue();

        Set<String> messageIds = new HashSet<>();
        for (MimeMessage received : greenMail.getReceivedMessages()) {
            long id = Long.parseLong(received.getHeader(MimeWriter.SUBSCRIBER_HEADER, null));
            messageIds.add(received.getMessageID());

            assertThat(received.isMimeType("multipart/alternative")).isTrue();
            MimeMultipart parts = (MimeMultipart) received.getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            assertThat(parts.getBodyPart(0).isMimeType("text/plain")).isTrue();
            assertThat(parts.getBodyPart(0).getContent()).isEqualTo(UNICODE + " (text)");
            assertThat(parts.getBodyPart(1).isMimeType("text/html")).isTrue();
            assertThat(parts.getBodyPart(1).getContent()).isEqualTo("<p>" + UNICODE + "</p>");

            assertThat(received.getHeader("Subject")[0]).startsWith("=?UTF-8?");
            assertThat(received.getSubject()).isEqualTo(UNICODE + " #" + id);
            assertThat(((InternetAddress) received.getFrom()[0]).getPersonal()).isEqualTo("Zoë's Café");
            InternetAddress to = (InternetAddress) received.getRecipients(MimeMessage.RecipientType.TO)[0];
            assertThat(to.getPersonal()).isEqualTo("Zoë Müller " + id);
            assertThat(to.getAddress()).isEqualTo("reader" + id + "@example.org");
            assertThat(((InternetAddress) received.getReplyTo()[0]).getAddress()).isEqualTo("help@example.com");
            assertThat(received.getSentDate()).isEqualTo(Date.from(NOW));
            assertThat(received.getMessageID()).matches("<[0-9a-f-]{36}@example\\.com>");
            assertThat(received.getHeader(MimeWriter.CAMPAIGN_HEADER, null)).isEqualTo("spring-sale");
            assertThat(MimeUtility.unfold(received.getHeader(UnsubscribeLinks.LIST_UNSUBSCRIBE, null)))
                    .isEqualTo(links.headers("spring-sale", SubscriberId.of(id)).get(UnsubscribeLinks.LIST_UNSUBSCRIBE));
            assertThat(received.getHeader(UnsubscribeLinks.LIST_UNSUBSCRIBE_POST, null)).isEqualTo("List-Unsubscribe=One-Click");
            assertThat(GreenMailUtil.getWholeMessage(received)).matches("\\p{ASCII}*");
        }
        assertThat(messageIds).hasSize(3);
    }

    @Test
    void headerInjectionFromSubscriberDataAddsNoHeaderAndNoRecipient() throws Exception {
        int sent = 0;
        for (String payload : InjectionPayloads.ALL) {
            Map<String, String> headers = new HashMap<>(links.headers("c" + payload, SubscriberId.of(sent)));
            headers.put("X-Custom", "v" + payload);
            OutgoingMessage hostile = new OutgoingMessage("c" + payload, SubscriberId.of(sent), "News <news@example.com>", null,
                    "victim@example.org", "Eve " + payload, "Hi " + payload, "text" + payload, null, headers);
            assertThat(sender.send(hostile).isSent()).isTrue();
            sent++;
        }
        assertThat(greenMail.waitForIncomingEmail(5_000, sent)).isTrue();

        assertThat(greenMail.getReceivedMessages()).hasSize(sent);
        // GreenMail creates a mailbox for every envelope recipient it delivers to.
        assertThat(greenMail.getUserManager().listUser()).extracting(user -> user.getEmail()).containsExactly("victim@example.org");
        for (MimeMessage received : greenMail.getReceivedMessages()) {
            assertThat(received.getHeader("Bcc")).isNull();
            assertThat(received.getAllRecipients()).hasSize(1);
            assertThat(GreenMailUtil.getHeaders(received)).doesNotContainPattern("(?im)^\\s*Bcc:");
            assertThat(received.getSubject()).doesNotContainPattern("[\\r\\n\\u0085\\u2028\\u2029]");
            assertThat(((InternetAddress) received.getAllRecipients()[0]).getPersonal())
                    .doesNotContainPattern("[\\r\\n\\u0085\\u2028\\u2029]");
        }
    }
}
