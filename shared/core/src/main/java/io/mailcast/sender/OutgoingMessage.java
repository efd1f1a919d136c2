package io.mailcast.sender;

import io.mailcast.subscriber.SubscriberId;

import java.util.Map;
import java.util.Objects;

/**
 * One personalised e-mail, rendered and ready for a {@link Sender}.
 *
 * @param campaignId   campaign the message belongs to (goes into a header)
 * @param subscriberId recipient's subscriber id (goes into a header)
 * @param from         sender address, optionally with a display name ({@code "News <news@example.com>"})
 * @param replyTo      optional Reply-To address, {@code null} when absent
 * @param to           recipient address
 * @param toName       recipient display name, may be {@code null}
 * @param subject      rendered subject
 * @param text         rendered plain-text body, {@code null} when the campaign has no text template
 * @param html         rendered HTML body, {@code null} when the campaign has no HTML template
 * @param headers      extra headers (for example List-Unsubscribe); values are never trusted to be CR/LF free
 * @param envelopeSender the SMTP envelope sender (MAIL FROM), where bounces go: a per-message VERP address, or
 *                       {@code null} for the From address
 */
public record OutgoingMessage(
        String campaignId,
        SubscriberId subscriberId,
        String from,
        String replyTo,
        String to,
        String toName,
        String subject,
        String text,
        String html,
        Map<String, String> headers,
        String envelopeSender) {

    /**
     * Where a send-API message's copy has a campaign id: this prefix, then the message id. Such copies are mail someone
     * is waiting for (a password reset), so senders put them before campaign mail.
     */
    public static final String API_MESSAGE_PREFIX = "message-";

    public OutgoingMessage {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        if (text == null && html == null) {
            throw new IllegalArgumentException("a message needs a text or an HTML body");
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A message whose bounces go to its From address. */
    public OutgoingMessage(String campaignId, SubscriberId subscriberId, String from, String replyTo, String to,
                           String toName, String subject, String text, String html, Map<String, String> headers) {
        this(campaignId, subscriberId, from, replyTo, to, toName, subject, text, html, headers, null);
    }

    /** A copy of a send-API message, which goes before campaign mail wherever messages queue. */
    public boolean isUrgent() {
        return campaignId.startsWith(API_MESSAGE_PREFIX);
    }

    /** The same message with bounces going to {@code sender}. */
    public OutgoingMessage withEnvelopeSender(String sender) {
        return new OutgoingMessage(campaignId, subscriberId, from, replyTo, to, toName, subject, text, html, headers, sender);
    }
}
