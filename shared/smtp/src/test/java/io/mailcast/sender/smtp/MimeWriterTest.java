package io.mailcast.sender.smtp;

import io.mailcast.campaign.Campaign;
import io.mailcast.render.MessageTemplate;
import io.mailcast.sender.AddressValidator;
import io.mailcast.sender.MailboxAddress;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.suppression.UnsubscribeLink;
import io.mailcast.testing.Campaigns;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MimeWriterTest {

    private static final String UNICODE = "Grüße, Zoë 🚀";
    private static final Instant NOW = Instant.parse("2025-03-01T10:15:30Z");

    private final Session session = Session.getInstance(new Properties());
    private final MimeWriter writer = new MimeWriter(Clock.fixed(NOW, ZoneOffset.UTC));

    private static OutgoingMessage message(String text, String html) {
        return new OutgoingMessage("spring-sale", SubscriberId.of(42), "Zoë's Café <news@example.com>", "Help <help@example.com>",
                "zoe@example.org", "Zoë Müller", UNICODE, text, html, Map.of("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
    }

    /** What a receiver parses from the bytes on the wire. */
    private MimeMessage roundTrip(OutgoingMessage message) throws MessagingException, IOException {
        return new MimeMessage(session, new ByteArrayInputStream(wire(message)));
    }

    private byte[] wire(OutgoingMessage message) throws MessagingException {
        return writer.write(message).content();
    }

    private String rawHeaders(OutgoingMessage message) throws MessagingException, IOException {
        String raw = new String(wire(message), StandardCharsets.US_ASCII);
        return raw.substring(0, raw.indexOf("\r\n\r\n") + 2);
    }

    @Test
    void theEnvelopeSenderIsTheFromAddressUnlessTheMessageNamesOne() throws Exception {
        OutgoingMessage message = message("plain", null);
        assertThat(writer.write(message).sender()).isEqualTo("news@example.com");

        MimeWriter.WireMessage verp = writer.write(message.withEnvelopeSender("bounces+tok@bounce.example.com"));

        assertThat(verp.sender()).isEqualTo("bounces+tok@bounce.example.com");
        assertThat(new MimeMessage(session, new ByteArrayInputStream(verp.content())).getFrom()[0].toString())
                .contains("news@example.com");
    }

    @Test
    void textAndHtmlBecomeMultipartAlternativeTextFirst() throws Exception {
        MimeMessage parsed = roundTrip(message(UNICODE + "\nplain", "<p>" + UNICODE + "</p>"));

        assertThat(parsed.isMimeType("multipart/alternative")).isTrue();
        MimeMultipart parts = (MimeMultipart) parsed.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).isMimeType("text/plain")).isTrue();
        assertThat(parts.getBodyPart(0).getContentType()).containsIgnoringCase("charset=UTF-8");
        assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n")).isEqualTo(UNICODE + "\nplain");
        assertThat(parts.getBodyPart(1).isMimeType("text/html")).isTrue();
        assertThat(parts.getBodyPart(1).getContent()).isEqualTo("<p>" + UNICODE + "</p>");
    }

    @Test
    void singleBodyIsASinglePart() throws Exception {
        MimeMessage textOnly = roundTrip(message("just text " + UNICODE, null));
        MimeMessage htmlOnly = roundTrip(message(null, "<b>" + UNICODE + "</b>"));

        assertThat(textOnly.isMimeType("text/plain")).isTrue();
        // Content ends with the line break the SMTP terminator needs; a receiver stores it too.
        assertThat(textOnly.getContent()).isEqualTo("just text " + UNICODE + "\r\n");
        assertThat(htmlOnly.isMimeType("text/html")).isTrue();
        assertThat(htmlOnly.getContentType()).containsIgnoringCase("charset=UTF-8");
        assertThat(htmlOnly.getContent()).isEqualTo("<b>" + UNICODE + "</b>\r\n");
    }

    @Test
    void wireFormatIsAsciiWithEncodedWordsThatDecodeBack() throws Exception {
        OutgoingMessage message = message("t " + UNICODE, "<p>" + UNICODE + "</p>");
        byte[] wire = wire(message);
        MimeMessage parsed = new MimeMessage(session, new ByteArrayInputStream(wire));

        for (byte b : wire) {
            assertThat(b).isBetween((byte) 0, (byte) 127);
        }
        assertThat(parsed.getHeader("Subject")[0]).startsWith("=?UTF-8?");
        assertThat(parsed.getSubject()).isEqualTo(UNICODE);
        InternetAddress from = (InternetAddress) parsed.getFrom()[0];
        assertThat(from.getPersonal()).isEqualTo("Zoë's Café");
        assertThat(from.getAddress()).isEqualTo("news@example.com");
        InternetAddress to = (InternetAddress) parsed.getRecipients(MimeMessage.RecipientType.TO)[0];
        assertThat(to.getPersonal()).isEqualTo("Zoë Müller");
        assertThat(to.getAddress()).isEqualTo("zoe@example.org");
        assertThat(((InternetAddress) parsed.getReplyTo()[0]).getAddress()).isEqualTo("help@example.com");
    }

    @Test
    void setsDateMessageIdAndMailcastHeaders() throws Exception {
        MimeMessage parsed = roundTrip(message("t", null));

        assertThat(parsed.getSentDate()).isEqualTo(Date.from(NOW));
        assertThat(parsed.getMessageID()).matches("<[0-9a-f-]{36}@example\\.com>");
        assertThat(parsed.getHeader(MimeWriter.CAMPAIGN_HEADER, null)).isEqualTo("spring-sale");
        assertThat(parsed.getHeader(MimeWriter.SUBSCRIBER_HEADER, null)).isEqualTo("42");
        assertThat(parsed.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
    }

    @Test
    void messageIdsAreUnique() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ids.add(writer.write(message("t", null)).messageId());
        }
        assertThat(ids).hasSize(100);
    }

    @Test
    void internationalDomainsGoOutInPunycode() throws Exception {
        OutgoingMessage idn = new OutgoingMessage("c", SubscriberId.of(1), "news@bücher.example", null, "user@münchen.de", null, "s", "t", null, null);

        MimeMessage parsed = roundTrip(idn);

        assertThat(((InternetAddress) parsed.getFrom()[0]).getAddress()).isEqualTo("news@xn--bcher-kva.example");
        assertThat(((InternetAddress) parsed.getAllRecipients()[0]).getAddress()).isEqualTo("user@xn--mnchen-3ya.de");
        assertThat(parsed.getMessageID()).endsWith("@xn--bcher-kva.example>");
    }

    @ParameterizedTest
    @FieldSource("io.mailcast.sender.smtp.InjectionPayloads#ALL")
    void subscriberDataCannotAddHeaders(String payload) throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Custom", "value" + payload);
        OutgoingMessage hostile = new OutgoingMessage("camp" + payload, SubscriberId.of(1), "news@example.com", null, "zoe@example.org",
                "Eve " + payload, "Hi " + payload, "t", null, headers);

        String raw = rawHeaders(hostile);
        MimeMessage parsed = roundTrip(hostile);

        assertThat(raw).doesNotContainPattern("(?im)^\\s*Bcc:");
        assertThat(parsed.getHeader("Bcc")).isNull();
        assertThat(parsed.getAllRecipients()).hasSize(1);
        // Separated encoded-words are decoded and cleaned; ones glued to a word ("value=?...") are left broken up.
        for (String decoded : new String[] {parsed.getSubject(), ((InternetAddress) parsed.getAllRecipients()[0]).getPersonal(),
                decodedHeader(parsed, "X-Custom"), decodedHeader(parsed, MimeWriter.CAMPAIGN_HEADER)}) {
            assertThat(decoded).doesNotContainPattern("[\\r\\n\\u0085\\u2028\\u2029\\u000b\\u000c]");
        }
        assertThat(parsed.getSubject()).startsWith("Hi ").contains("Bcc");
    }

    private static String decodedHeader(MimeMessage message, String name) throws Exception {
        return MimeUtility.decodeText(MimeUtility.unfold(message.getHeader(name, null)));
    }

    @Test
    void rejectsReservedAndMalformedExtraHeaderNames() {
        for (String name : new String[] {"Bcc", "to", "Subject", "X-Mailcast-Campaign", "Content-Type"}) {
            OutgoingMessage m = new OutgoingMessage("c", SubscriberId.of(1), "news@example.com", null, "a@example.org", null, "s", "t", null,
                    Map.of(name, "x"));
            assertThatThrownBy(() -> writer.write(m)).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is set by Mailcast");
        }
        for (String name : new String[] {"X Bad", "X-Bad:", "X-Evil\r\nBcc", "", "Ünicode"}) {
            OutgoingMessage m = new OutgoingMessage("c", SubscriberId.of(1), "news@example.com", null, "a@example.org", null, "s", "t", null,
                    Map.of(name, "x"));
            assertThatThrownBy(() -> writer.write(m)).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a valid field name");
        }
    }

    @Test
    void rejectsInvalidFromAndReplyTo() {
        OutgoingMessage badFrom = new OutgoingMessage("c", SubscriberId.of(1), "News <news@localhost>", null, "a@example.org", null, "s", "t", null, null);
        OutgoingMessage badReplyTo = new OutgoingMessage("c", SubscriberId.of(1), "news@example.com", "x y z", "a@example.org", null, "s", "t", null, null);

        assertThatThrownBy(() -> writer.write(badFrom)).isInstanceOf(AddressException.class)
                .hasMessageContaining("From address is invalid: domain has no dot");
        assertThatThrownBy(() -> writer.write(badReplyTo)).isInstanceOf(AddressException.class);
    }

    @Test
    void nonAsciiExtraHeaderValueIsEncoded() throws Exception {
        OutgoingMessage m = new OutgoingMessage("c", SubscriberId.of(1), "news@example.com", null, "a@example.org", null, "s", "t", null,
                Map.of("X-Note", UNICODE));

        MimeMessage parsed = roundTrip(m);

        assertThat(parsed.getHeader("X-Note", null)).startsWith("=?UTF-8?");
        assertThat(MimeUtility.decodeText(parsed.getHeader("X-Note", null))).isEqualTo(UNICODE);
    }

    @Test
    void anyBodyRoundTripsThroughSevenBitLinesOfAtMost76Characters() throws Exception {
        Random random = new Random(42);
        String[] pieces = {"a", "Z", " ", "\t", "=", ".", "=_", "\r\n", "\n", "\r", "é", "中文", "🚀", "--", "From ", "x".repeat(90)};
        for (int round = 0; round < 300; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(60);
            for (int i = 0; i < length; i++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String body = text.isEmpty() ? "x" : text.toString();
            byte[] wire = wire(message(body, "<p>" + body + "</p>"));

            String raw = new String(wire, StandardCharsets.US_ASCII);
            for (String line : raw.split("\r\n", -1)) {
                assertThat(line.length()).as("line length in round %d", round).isLessThanOrEqualTo(76);
                assertThat(line).as("no line may start with a dot").doesNotStartWith(".");
                assertThat(line).doesNotContain("\r").doesNotContain("\n");
            }
            for (byte b : wire) {
                assertThat(b).isBetween((byte) 0, (byte) 127);
            }
            MimeMultipart parts = (MimeMultipart) new MimeMessage(session, new ByteArrayInputStream(wire)).getContent();
            String expected = body.replace("\r\n", "\n").replace('\r', '\n');
            assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n")).as("round %d", round).isEqualTo(expected);
            assertThat(((String) parts.getBodyPart(1).getContent()).replace("\r\n", "\n")).isEqualTo("<p>" + expected + "</p>");
        }
    }

    @Test
    void mostlyNonAsciiBodiesUseBase64AndAsciiOnesQuotedPrintable() throws Exception {
        String chinese = "你好，世界。这是一封很长的中文邮件。".repeat(10);

        MimeMultipart parts = (MimeMultipart) roundTrip(message(chinese, "<p>plain ascii</p>")).getContent();

        assertThat(parts.getBodyPart(0).getHeader("Content-Transfer-Encoding")).containsExactly("base64");
        assertThat(parts.getBodyPart(1).getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
        assertThat(parts.getBodyPart(0).getContent()).isEqualTo(chinese);
    }

    @Test
    void forAn8BitMimeRelayBodiesAreRawUtf8ExceptWhereALineIsTooLong() throws Exception {
        String longLine = "<p>" + "x".repeat(1200) + "</p>";
        MimeWriter.WireMessage wire = writer.write(message(UNICODE + "\r.dot\nplain", longLine), true);

        MimeMultipart parts = (MimeMultipart) new MimeMessage(session, new ByteArrayInputStream(wire.content())).getContent();

        assertThat(wire.eightBit()).isTrue();
        assertThat(parts.getBodyPart(0).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
        assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n")).isEqualTo(UNICODE + "\n.dot\nplain");
        assertThat(parts.getBodyPart(1).getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
        assertThat(parts.getBodyPart(1).getContent()).isEqualTo(longLine);
        assertThat(new String(wire.content(), StandardCharsets.UTF_8)).doesNotContainPattern("[^\r]\n");
        assertThat(writer.write(message("plain ascii", null), false).eightBit()).isFalse();
    }

    /** Subscriber names a relay would refuse as one header line, or that fold only in odd places. */
    static final List<String> LONG_NAMES = List.of(
            "x".repeat(1_200),
            "é".repeat(1_200),
            "🚀".repeat(400),
            "Ann ".repeat(300).strip(),
            "Smith, John (the \"elder\") ".repeat(60).strip(),
            "word ".repeat(10) + "y".repeat(1_000),
            "Zoë " + "z".repeat(90) + " Müller");

    @ParameterizedTest
    @FieldSource("LONG_NAMES")
    void aSubscriberWithAHugeNameGetsHeaderLinesOfAtMost78CharactersThatDecodeBack(String name) throws Exception {
        Campaign campaign = Campaigns.aCampaign().subject("News for {{name}}").build();
        OutgoingMessage m = MessageTemplate.of(campaign)
                .render(new Subscriber(7, "zoe@example.org", name, true, Map.of()), UnsubscribeLink.NONE);

        byte[] wire = wire(m);
        String raw = new String(wire, StandardCharsets.US_ASCII);
        MimeMessage parsed = new MimeMessage(session, new ByteArrayInputStream(wire));

        assertThat(raw.split("\r\n", -1)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
        assertThat(raw.substring(0, raw.indexOf("\r\n\r\n")).split("\r\n"))
                .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(78));
        InternetAddress to = (InternetAddress) parsed.getRecipients(MimeMessage.RecipientType.TO)[0];
        assertThat(to.getPersonal()).isEqualTo(name);
        assertThat(to.getAddress()).isEqualTo("zoe@example.org");
        assertThat(parsed.getSubject()).isEqualTo("News for " + name);
    }

    /** What submit accepts as From or Reply-To ({@link MailboxAddress}) must not fail later for every recipient. */
    @ParameterizedTest
    @ValueSource(strings = {
            "news@example.com", "News <news@example.com>", "<news@example.com>", "\"\" <news@example.com>",
            "\"News, Inc.\" <news@example.com>", "\"Say \\\"hi\\\"\" <news@example.com>", "J. Smith <j@example.com>",
            "Zoë from Kraków <z@example.com>", "News < news@example.com >", "News <news@münchen.de>",
            "\"o'brien+tag\"@example.com", "News <\"quoted.local\"@example.com>", "\"Zoë \\\"Z\\\" Müller\" <z@example.com>"})
    void everyMailboxTheSubmitCheckAcceptsIsWrittenWithItsNameAndAddress(String text) throws Exception {
        MailboxAddress mailbox = MailboxAddress.parse("From", text);

        MimeMessage parsed = roundTrip(new OutgoingMessage("c", SubscriberId.of(1), text, text, "a@example.org", null, "s", "t", null, null));

        for (InternetAddress written : List.of((InternetAddress) parsed.getFrom()[0], (InternetAddress) parsed.getReplyTo()[0])) {
            assertThat(written.getAddress()).isEqualTo(AddressValidator.asciiForm(mailbox.address()));
            assertThat(written.getPersonal()).isEqualTo(mailbox.displayName());
        }
    }
}
