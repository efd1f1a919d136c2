package io.mailcast.sender.smtp;

import io.mailcast.sender.AddressValidator;
import io.mailcast.sender.OutgoingMessage;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes one {@link OutgoingMessage} as the bytes of an RFC 5322 message, ready for SMTP DATA: text and HTML as
 * multipart/alternative (text first, so clients that prefer the last part they understand show the HTML), UTF-8
 * bodies, RFC 2047 subject and display names, a fresh Message-ID in the sender's domain, and the Mailcast tracking
 * headers, with CRLF line ends. Bodies go as raw UTF-8 ({@code 8bit}) to a relay that offers 8BITMIME, otherwise as
 * quoted-printable (base64 when mostly non-ASCII), so that the message is 7-bit ASCII with no line starting with ".".
 *
 * <p>Why not Jakarta Mail's MimeMessage: building its part tree and re-encoding it through its stream chain took
 * most of a node's CPU per message. Header encoding (RFC 2047, folding, address quoting) still comes from Jakarta
 * Mail; what is written here is the byte layout and the body encoding, both checked by parsing the output back
 * with Jakarta Mail in the tests.
 *
 * <p>Every value that can come from subscriber data goes through {@link HeaderText#clean}, so none can add a header,
 * and header lines stay within 78 characters whatever that data is, save a line holding one long address (at most 254)
 * or a Message-ID in a long domain; RFC 5322's limit is 998, and relays refuse longer lines. A value that Jakarta Mail
 * cannot fold goes as encoded-words: see {@link HeaderText#text} and {@link HeaderText#mailbox}.
 */
public final class MimeWriter {

    public static final String CAMPAIGN_HEADER = "X-Mailcast-Campaign";
    public static final String SUBSCRIBER_HEADER = "X-Mailcast-Subscriber";

    // Headers this class writes itself, or that would change who receives the message.
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "from", "sender", "to", "cc", "bcc", "reply-to", "subject", "date", "message-id", "mime-version",
            "content-type", "content-transfer-encoding", "return-path", "received",
            CAMPAIGN_HEADER.toLowerCase(Locale.ROOT), SUBSCRIBER_HEADER.toLowerCase(Locale.ROOT));
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final Pattern CRLF_LINES = Pattern.compile("\r\n|\r|\n");
    private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static {
        // Jakarta Mail 2.1 looks its StreamProvider up through ServiceLoader on every encoded-word it writes, a
        // class-path scan that cost two thirds of the CPU per message (jakartaee/mail-api#861). Naming the provider
        // skips the scan.
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    /**
     * A message in wire form.
     *
     * @param sender    envelope sender: the message's VERP address, else the From address in ASCII form
     * @param recipient envelope recipient in ASCII form
     * @param content   header and body, CRLF line ends, ending with CRLF
     * @param eightBit  a body part is 8bit: the relay must be told with {@code BODY=8BITMIME}
     */
    public record WireMessage(String sender, String recipient, String messageId, byte[] content, boolean eightBit) {
    }

    /** From and Reply-To are the same for a whole campaign; parsing them once per message showed up in profiles. */
    private record Mailbox(String raw, String address, String header) {
    }

    private final Clock clock;
    private final MailboxCache fromCache = new MailboxCache("From");
    private final MailboxCache replyToCache = new MailboxCache("Reply-To");

    public MimeWriter(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The message in 7-bit form, for any relay. */
    public WireMessage write(OutgoingMessage message) throws AddressException {
        return write(message, false);
    }

    /**
     * @param eightBit whether the relay offers 8BITMIME: bodies then go as raw UTF-8 where RFC 5322 allows it
     * @throws InvalidRecipientException when To is not a valid address
     * @throws AddressException         when From or Reply-To is not a valid mailbox
     * @throws IllegalArgumentException when an extra header has an invalid or reserved name
     */
    public WireMessage write(OutgoingMessage message, boolean eightBit) throws AddressException {
        Mailbox from = fromCache.get(message.from());
        String recipient = recipient(message.to());
        String sender = message.envelopeSender() != null ? message.envelopeSender() : from.address();
        String id = randomId();
        String messageId = "<" + id + "@" + from.address().substring(from.address().lastIndexOf('@') + 1) + ">";

        WireBuffer out = new WireBuffer(1024 + 4 * (length(message.text()) + length(message.html())));
        header(out, "Date", DATE.format(clock.instant()));
        header(out, "From", from.header());
        header(out, "To", HeaderText.mailbox("To", recipient, message.toName()));
        if (message.replyTo() != null) {
            header(out, "Reply-To", replyToCache.get(message.replyTo()).header());
        }
        header(out, "Message-ID", messageId);
        header(out, "Subject", HeaderText.text("Subject", message.subject()));
        header(out, "MIME-Version", "1.0");
        // Sorted so the same input always gives the same header order.
        for (Map.Entry<String, String> extra : new TreeMap<>(message.headers()).entrySet()) {
            String name = checkedHeaderName(extra.getKey());
            header(out, name, HeaderText.encode(name, extra.getValue()));
        }
        header(out, CAMPAIGN_HEADER, HeaderText.encode(CAMPAIGN_HEADER, message.campaignId()));
        header(out, SUBSCRIBER_HEADER, HeaderText.encode(SUBSCRIBER_HEADER, message.subscriberId().key()));
        if (message.text() != null && message.html() != null) {
            // QP and base64 output never contain "=_", so no body line can look like this boundary.
            String boundary = "=_mailcast_" + id;
            header(out, "Content-Type", "multipart/alternative;\r\n\tboundary=\"" + boundary + "\"");
            out.crlf();
            out.ascii("--").ascii(boundary).crlf();
            boolean eightBitText = body(out, "plain", message.text(), eightBit);
            out.crlf().ascii("--").ascii(boundary).crlf();
            boolean eightBitHtml = body(out, "html", message.html(), eightBit);
            out.crlf().ascii("--").ascii(boundary).ascii("--").crlf();
            return new WireMessage(sender, recipient, messageId, out.toByteArray(), eightBitText || eightBitHtml);
        }
        boolean eightBitBody = body(out, message.text() != null ? "plain" : "html",
                message.text() != null ? message.text() : message.html(), eightBit);
        out.crlf();
        return new WireMessage(sender, recipient, messageId, out.toByteArray(), eightBitBody);
    }

    /** Content headers, a blank line, then the encoded text; ends without a line break. @return whether it is 8bit */
    private static boolean body(WireBuffer out, String subtype, String text, boolean eightBit) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        header(out, "Content-Type", "text/" + subtype + "; charset=UTF-8");
        if (eightBit) {
            int headerEnd = out.size();
            header(out, "Content-Transfer-Encoding", "8bit");
            out.crlf();
            if (EightBitText.encode(utf8, out)) {
                return true;
            }
            out.truncate(headerEnd);
        }
        if (mostlyNonAscii(utf8)) {
            header(out, "Content-Transfer-Encoding", "base64");
            out.crlf();
            // Base64 keeps bytes as they are, so line breaks must be in canonical CRLF form before encoding.
            byte[] canonical = CRLF_LINES.matcher(text).replaceAll("\r\n").getBytes(StandardCharsets.UTF_8);
            out.append(Base64.getMimeEncoder().encode(canonical));
        } else {
            header(out, "Content-Transfer-Encoding", "quoted-printable");
            out.crlf();
            QuotedPrintable.encode(utf8, out);
        }
        return false;
    }

    private static void header(WireBuffer out, String name, String value) {
        out.ascii(name).ascii(": ").ascii(value).crlf();
    }

    /** Jakarta Mail's rule: quoted-printable while ASCII bytes outnumber the others, base64 beyond. */
    private static boolean mostlyNonAscii(byte[] utf8) {
        int nonAscii = 0;
        for (byte b : utf8) {
            if (b < 0) {
                nonAscii++;
            }
        }
        return nonAscii >= utf8.length - nonAscii && nonAscii > 0;
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }

    /**
     * The last mailbox parsed for one field. Written only when the text changes: a write per message to a field that
     * every sending thread reads would bounce its cache line between cores.
     */
    private static final class MailboxCache {
        private final String field;
        private volatile Mailbox last;

        MailboxCache(String field) {
            this.field = field;
        }

        /** Parses {@code "Name <addr>"} or a bare address, keeping only the validated address and a cleaned name. */
        Mailbox get(String text) throws AddressException {
            Mailbox cached = last;
            if (cached != null && cached.raw().equals(text)) {
                return cached;
            }
            InternetAddress parsed = new InternetAddress(text, true);
            String address = checkedAddress(parsed.getAddress(), field);
            Mailbox mailbox = new Mailbox(text, address, HeaderText.mailbox(field, address, parsed.getPersonal()));
            last = mailbox;
            return mailbox;
        }
    }

    /** The recipient is not a valid address: the recipient's problem, not the campaign's. */
    public static final class InvalidRecipientException extends AddressException {
        private final String problem;

        InvalidRecipientException(String problem) {
            super("To address is invalid: " + problem);
            this.problem = problem;
        }

        /** A short reason, as {@link AddressValidator#problem} gives it. */
        public String problem() {
            return problem;
        }
    }

    private static String recipient(String address) throws InvalidRecipientException {
        try {
            return AddressValidator.asciiForm(address);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecipientException(AddressValidator.problem(address).orElseThrow());
        }
    }

    private static String checkedAddress(String address, String field) throws AddressException {
        try {
            return AddressValidator.asciiForm(address);
        } catch (IllegalArgumentException e) {
            throw new AddressException(field + " address is invalid: " + AddressValidator.problem(address).orElseThrow());
        }
    }

    /** A random (version 4) UUID; ThreadLocalRandom because SecureRandom's lock is shared by every sending thread. */
    private static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
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
}
