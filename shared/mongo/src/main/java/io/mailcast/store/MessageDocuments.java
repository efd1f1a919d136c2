package io.mailcast.store;

import io.mailcast.delivery.UncertainCause;
import io.mailcast.message.Message;
import io.mailcast.message.MessageBounce;
import io.mailcast.message.MessageStatus;
import io.mailcast.message.StoredMessage;
import org.bson.Document;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A send-API message as a document of {@code messages}. Extra headers are stored as a list of name/value pairs:
 * header names may hold dots and dollars, which field names may not.
 */
final class MessageDocuments {

    static final String STATUS = "status";
    static final String OWNER = "owner";
    static final String ATTEMPTS = "attempts";
    static final String LEASE_UNTIL = "leaseUntil";
    static final String NOT_BEFORE = "notBefore";
    static final String API_KEY = "apiKeyId";
    static final String UNCERTAIN_CAUSE = "uncertainCause";
    static final String BOUNCES = "bounces";
    static final String UPDATED_AT = "updatedAt";
    /** The report to the key's webhook: url, state, due, owner, lease, attempts, error (see MongoWebhookOutbox). */
    static final String WEBHOOK = "webhook";
    static final String WEBHOOK_URL = WEBHOOK + ".url";

    private MessageDocuments() {
    }

    static Document toDocument(StoredMessage s) {
        Message m = s.message();
        List<Document> headers = m.headers().entrySet().stream()
                .map(h -> new Document("name", h.getKey()).append("value", h.getValue())).toList();
        return new Document("_id", s.id())
                .append(API_KEY, s.apiKeyId())
                .append("idempotencyKey", s.idempotencyKey())
                .append("from", m.from()).append("to", m.to()).append("cc", m.cc()).append("replyTo", m.replyTo())
                .append("subject", m.subject()).append("text", m.text()).append("html", m.html())
                .append("headers", headers).append("tags", m.tags())
                .append(STATUS, s.status().name()).append(ATTEMPTS, s.attempts()).append(OWNER, s.owner())
                .append(LEASE_UNTIL, date(s.leaseUntil())).append(NOT_BEFORE, date(s.notBefore()))
                .append("delivered", s.delivered()).append("suppressed", s.suppressed()).append("relay", s.relay()).append("reply", s.reply())
                .append(UNCERTAIN_CAUSE, s.uncertain() == null ? null : s.uncertain().label())
                .append(BOUNCES, s.bounces().stream().map(MessageDocuments::bounceDocument).toList())
                .append("acceptedAt", date(s.acceptedAt())).append(UPDATED_AT, date(s.updatedAt()))
                .append(WEBHOOK, s.webhookUrl() == null ? null : new Document("url", s.webhookUrl()));
    }

    static StoredMessage fromDocument(Document d) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Document h : d.getList("headers", Document.class, List.of())) {
            headers.put(h.getString("name"), h.getString("value"));
        }
        Message m = new Message(d.getString("from"), d.getList("to", String.class), d.getList("cc", String.class),
                d.getString("replyTo"), d.getString("subject"), d.getString("text"), d.getString("html"), headers,
                d.getList("tags", String.class));
        String cause = d.getString(UNCERTAIN_CAUSE);
        return new StoredMessage(d.getString("_id"), d.getString(API_KEY), d.getString("idempotencyKey"), m,
                MessageStatus.valueOf(d.getString(STATUS)), d.getInteger(ATTEMPTS, 0), d.getString(OWNER),
                instant(d.getDate(LEASE_UNTIL)), instant(d.getDate(NOT_BEFORE)), d.getList("delivered", String.class),
                d.getList("suppressed", String.class, List.of()), d.getString("relay"), d.getString("reply"), cause == null ? null : UncertainCause.ofLabel(cause),
                d.getList(BOUNCES, Document.class, List.of()).stream().map(MessageDocuments::bounceOf).toList(),
                instant(d.getDate("acceptedAt")), instant(d.getDate(UPDATED_AT)),
                d.get(WEBHOOK, Document.class) == null ? null : d.get(WEBHOOK, Document.class).getString("url"));
    }

    static Document bounceDocument(MessageBounce b) {
        return new Document("recipient", b.recipient()).append("kind", b.kind()).append("status", b.status())
                .append("diagnostic", b.diagnostic()).append("at", date(b.at()));
    }

    private static MessageBounce bounceOf(Document d) {
        return new MessageBounce(d.getString("recipient"), d.getString("kind"), d.getString("status"),
                d.getString("diagnostic"), instant(d.getDate("at")));
    }

    static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
