package io.mailcast.message;

import io.mailcast.sender.AddressValidator;
import io.mailcast.sender.MailboxAddress;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks everything an application sends before anything is stored, so that a queued message can always be written
 * and no field can smuggle in a header or a recipient: addresses as campaigns check them, no line break or control
 * character anywhere in a header, reserved headers refused, and every size bounded ({@link MessageLimits}).
 */
public final class MessageValidator {

    // Headers the sender writes itself, or that would change who receives the message.
    private static final Set<String> RESERVED_HEADERS = Set.of("from", "sender", "to", "cc", "bcc", "reply-to",
            "subject", "date", "message-id", "mime-version", "content-type", "content-transfer-encoding",
            "return-path", "received");
    private static final String MAILCAST_HEADER_PREFIX = "x-mailcast-";
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.:-]+");
    private static final int MAX_HEADER_NAME = 76;

    private final MessageLimits limits;

    public MessageValidator(MessageLimits limits) {
        this.limits = limits;
    }

    /** @throws InvalidMessageException naming the first field at fault */
    public void check(Message m) {
        if (m.from() == null) {
            throw new InvalidMessageException("from", "from is required");
        }
        mailbox("from", m.from());
        if (m.replyTo() != null) {
            mailbox("replyTo", m.replyTo());
        }
        recipients(m);
        subject(m.subject());
        bodies(m);
        headers(m.headers());
        tags(m.tags());
    }

    /** The domain of From, lower case: what an API key must be allowed to send for. */
    public static String senderDomain(Message m) {
        String address = MailboxAddress.parse("from", m.from()).address();
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    private static void mailbox(String field, String text) {
        Optional<String> problem = MailboxAddress.problem(text);
        if (problem.isPresent()) {
            throw new InvalidMessageException(field, field + " is not a valid mailbox: " + problem.get());
        }
    }

    private void recipients(Message m) {
        if (m.to().isEmpty()) {
            throw new InvalidMessageException("to", "to needs at least one recipient");
        }
        int count = m.to().size() + m.cc().size();
        if (count > limits.maxRecipients()) {
            throw new InvalidMessageException(m.cc().isEmpty() ? "to" : "cc", "at most " + limits.maxRecipients()
                    + " recipients per message (to and cc together), got " + count + "; send several messages");
        }
        Set<String> seen = new HashSet<>();
        addresses("to", m.to(), seen);
        addresses("cc", m.cc(), seen);
    }

    private static void addresses(String field, List<String> addresses, Set<String> seen) {
        for (int i = 0; i < addresses.size(); i++) {
            String name = field + "[" + i + "]";
            String address = addresses.get(i);
            Optional<String> problem = AddressValidator.problem(address);
            if (problem.isPresent()) {
                throw new InvalidMessageException(name, name + " is not a valid address: " + problem.get());
            }
            if (!seen.add(address.toLowerCase(Locale.ROOT))) {
                throw new InvalidMessageException(name, name + " repeats a recipient");
            }
        }
    }

    private void subject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new InvalidMessageException("subject", "subject is required");
        }
        if (subject.length() > limits.maxSubjectChars()) {
            throw new InvalidMessageException("subject", "subject is longer than " + limits.maxSubjectChars() + " characters");
        }
        if (hasControl(subject)) {
            throw new InvalidMessageException("subject", "subject contains a line break or control character");
        }
    }

    private void bodies(Message m) {
        if (m.text() == null && m.html() == null) {
            throw new InvalidMessageException("text", "a message needs text or html");
        }
        long bytes = utf8Length(m.text()) + utf8Length(m.html());
        if (bytes > limits.maxBodyBytes()) {
            throw new InvalidMessageException(m.html() != null ? "html" : "text", "text and html together are "
                    + bytes + " bytes, more than " + limits.maxBodyBytes());
        }
    }

    private void headers(Map<String, String> headers) {
        if (headers.size() > limits.maxHeaders()) {
            throw new InvalidMessageException("headers", "at most " + limits.maxHeaders() + " extra headers");
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            // RFC 5322 field-name: printable ASCII except colon.
            if (name.isEmpty() || name.length() > MAX_HEADER_NAME || name.chars().anyMatch(c -> c < 33 || c > 126 || c == ':')) {
                throw new InvalidMessageException("headers", "header names are 1 to " + MAX_HEADER_NAME
                        + " printable ASCII characters without a colon");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESERVED_HEADERS.contains(lower) || lower.startsWith(MAILCAST_HEADER_PREFIX)) {
                throw new InvalidMessageException("headers." + name, "header " + name + " is set by Mailcast; use the "
                        + "message's own fields");
            }
            String value = header.getValue();
            if (value == null || value.length() > limits.maxHeaderValueChars() || hasControl(value)) {
                throw new InvalidMessageException("headers." + name, "header " + name + " must be a value of at most "
                        + limits.maxHeaderValueChars() + " characters without line breaks or control characters");
            }
        }
    }

    private void tags(List<String> tags) {
        if (tags.size() > limits.maxTags()) {
            throw new InvalidMessageException("tags", "at most " + limits.maxTags() + " tags");
        }
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            if (tag == null || tag.length() > limits.maxTagChars() || !TAG.matcher(tag).matches()) {
                throw new InvalidMessageException("tags[" + i + "]", "tags are 1 to " + limits.maxTagChars()
                        + " characters of A-Z, a-z, 0-9 and _ . : -");
            }
        }
    }

    private static boolean hasControl(String text) {
        return text.codePoints().anyMatch(c -> {
            int type = Character.getType(c);
            return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
        });
    }

    private static long utf8Length(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
