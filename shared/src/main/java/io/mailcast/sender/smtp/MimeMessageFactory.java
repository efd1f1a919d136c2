package io.mailcast.sender.smtp;

import io.mailcast.sender.AddressValidator;
import io.mailcast.sender.OutgoingMessage;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Builds the MIME message for one {@link OutgoingMessage}: text and HTML as multipart/alternative (text first, so
 * clients that prefer the last part they understand show the HTML), UTF-8 bodies, RFC 2047 subject and display
 * names, a fresh Message-ID in the sender's domain, and the Mailcast tracking headers.
 *
 * <p>Every value that can come from subscriber data goes through {@link HeaderText#clean}, so none can add a header.
 */
public final class MimeMessageFactory {

    public static final String CAMPAIGN_HEADER = "X-Mailcast-Campaign";
    public static final String SUBSCRIBER_HEADER = "X-Mailcast-Subscriber";

    // Headers this class writes itself, or that would change who receives the message.
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "from", "sender", "to", "cc", "bcc", "reply-to", "subject", "date", "message-id", "mime-version",
            "content-type", "content-transfer-encoding", "return-path", "received",
            CAMPAIGN_HEADER.toLowerCase(Locale.ROOT), SUBSCRIBER_HEADER.toLowerCase(Locale.ROOT));
    private static final String UTF_8 = StandardCharsets.UTF_8.name();

    private final Session session;
    private final Clock clock;

    public MimeMessageFactory(Session session, Clock clock) {
        this.session = Objects.requireNonNull(session, "session");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws AddressException         when From, Reply-To or To is not a valid mailbox
     * @throws IllegalArgumentException when an extra header has an invalid or reserved name
     */
    public MimeMessage create(OutgoingMessage message) throws MessagingException {
        InternetAddress from = mailbox(message.from(), "From");
        MimeMessage mime = new PresetIdMimeMessage(session, messageId(from));
        mime.setFrom(from);
        mime.setRecipient(Message.RecipientType.TO, withName(checkedAddress(message.to(), "To"), message.toName()));
        if (message.replyTo() != null) {
            mime.setReplyTo(new InternetAddress[] {mailbox(message.replyTo(), "Reply-To")});
        }
        mime.setSubject(HeaderText.clean(message.subject()), UTF_8);
        mime.setSentDate(Date.from(clock.instant()));
        // Sorted so the same input always gives the same header order.
        for (Map.Entry<String, String> header : new TreeMap<>(message.headers()).entrySet()) {
            String name = checkedHeaderName(header.getKey());
            mime.setHeader(name, HeaderText.encode(name, header.getValue()));
        }
        mime.setHeader(CAMPAIGN_HEADER, HeaderText.encode(CAMPAIGN_HEADER, message.campaignId()));
        mime.setHeader(SUBSCRIBER_HEADER, Long.toString(message.subscriberId()));
        setBody(mime, message.text(), message.html());
        mime.saveChanges();
        return mime;
    }

    private static void setBody(MimeMessage mime, String text, String html) throws MessagingException {
        if (text != null && html != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(bodyPart(text, "plain"));
            alternative.addBodyPart(bodyPart(html, "html"));
            mime.setContent(alternative);
        } else if (text != null) {
            mime.setText(text, UTF_8, "plain");
        } else {
            mime.setText(html, UTF_8, "html");
        }
    }

    private static MimeBodyPart bodyPart(String content, String subtype) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(content, UTF_8, subtype);
        return part;
    }

    /** Parses {@code "Name <addr>"} or a bare address, keeping only the validated address and a cleaned name. */
    private static InternetAddress mailbox(String text, String field) throws AddressException {
        InternetAddress parsed = new InternetAddress(text, true);
        return withName(checkedAddress(parsed.getAddress(), field), parsed.getPersonal());
    }

    private static String checkedAddress(String address, String field) throws AddressException {
        var problem = AddressValidator.problem(address);
        if (problem.isPresent()) {
            throw new AddressException(field + " address is invalid: " + problem.get());
        }
        return AddressValidator.asciiForm(address);
    }

    private static InternetAddress withName(String asciiAddress, String displayName) {
        String name = HeaderText.clean(displayName);
        try {
            return new InternetAddress(asciiAddress, name == null || name.isEmpty() ? null : name, UTF_8);
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    private static String messageId(InternetAddress from) {
        String address = from.getAddress();
        return "<" + UUID.randomUUID() + "@" + address.substring(address.lastIndexOf('@') + 1) + ">";
    }

    private static String checkedHeaderName(String name) {
        // RFC 5322 field-name: printable ASCII except colon.
        if (name.isEmpty() || name.chars().anyMatch(c -> c < 33 || c > 126 || c == ':')) {
            throw new IllegalArgumentException("header name '" + HeaderText.clean(name) + "' is not a valid field name");
        }
        if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("header " + name + " is set by Mailcast and cannot be given as an extra header");
        }
        return name;
    }

    /** Jakarta Mail replaces Message-ID in saveChanges(); this keeps the one chosen here. */
    private static final class PresetIdMimeMessage extends MimeMessage {
        private final String messageId;

        PresetIdMimeMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
