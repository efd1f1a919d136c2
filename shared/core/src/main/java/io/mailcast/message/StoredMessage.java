package io.mailcast.message;

import io.mailcast.delivery.UncertainCause;
import io.mailcast.sender.OutgoingMessage;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message as the store keeps it: its content, who sent it, and its delivery state.
 *
 * @param apiKeyId       the key that submitted it; only that key may read or cancel it
 * @param idempotencyKey the client's key, {@code null} when it gave none
 * @param attempts       claims so far; a claim is fenced by owner and attempt number
 * @param owner          node id of the dispatcher holding it while PROCESSING, else {@code null}
 * @param leaseUntil     when a PROCESSING claim expires and another node may take it over
 * @param notBefore      a QUEUED message is not claimed before this (retry back-off)
 * @param delivered      recipients a relay has accepted; a retry sends only to the others
 * @param suppressed     recipients not mailed because they are on the suppression list (see {@link MessageIntake})
 * @param relay          relay of the last attempt, {@code null} before one
 * @param reply          the relay's failure reply (or our reason) of the last attempt, {@code null} when none
 * @param uncertain      why a recipient may have been mailed twice, {@code null} when nobody can have been
 * @param bounces        bounces and complaints that came back for its copies (with VERP on), the first of each kind
 * @param webhookUrl     where its outcome is POSTed (its key's webhook when it was accepted), {@code null} for none
 */
public record StoredMessage(String id, String apiKeyId, String idempotencyKey, Message message, MessageStatus status,
                            int attempts, String owner, Instant leaseUntil, Instant notBefore, List<String> delivered,
                            List<String> suppressed, String relay, String reply, UncertainCause uncertain,
                            List<MessageBounce> bounces, Instant acceptedAt, Instant updatedAt, String webhookUrl) {

    /**
     * Marks the copies of a message where campaign mail has its campaign id (the tracking header, the VERP token): the
     * prefix, then the message id.
     */
    public static final String TRACKING_PREFIX = OutgoingMessage.API_MESSAGE_PREFIX;

    public StoredMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(apiKeyId, "apiKeyId");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(status, "status");
        delivered = delivered == null ? List.of() : List.copyOf(delivered);
        suppressed = suppressed == null ? List.of() : List.copyOf(suppressed);
        bounces = bounces == null ? List.of() : List.copyOf(bounces);
    }

    /** A fresh message, queued and due at once. */
    public static StoredMessage queued(String id, String apiKeyId, String idempotencyKey, Message message,
                                       List<String> suppressed, Instant now) {
        return new StoredMessage(id, apiKeyId, idempotencyKey, message, MessageStatus.QUEUED, 0, null, null, now,
                List.of(), suppressed, null, null, null, List.of(), now, now, null);
    }

    /** This message, reported to {@code url} when it is settled; {@code null} for no report. */
    public StoredMessage withWebhook(String url) {
        return new StoredMessage(id, apiKeyId, idempotencyKey, message, status, attempts, owner, leaseUntil, notBefore,
                delivered, suppressed, relay, reply, uncertain, bounces, acceptedAt, updatedAt, url);
    }

    /** This message, fresh, under another id (the one an idempotency key already stands for). */
    public StoredMessage withId(String newId) {
        return new StoredMessage(newId, apiKeyId, idempotencyKey, message, status, attempts, null, null, notBefore,
                List.of(), suppressed, null, null, null, List.of(), acceptedAt, updatedAt, webhookUrl);
    }

    /** Recipients still to be sent to. */
    public List<String> pending() {
        return message.recipients().stream().filter(r -> !delivered.contains(r) && !suppressed.contains(r)).toList();
    }
}
