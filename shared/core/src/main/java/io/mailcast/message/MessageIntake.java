package io.mailcast.message;

import io.mailcast.apikey.ApiKey;

import io.mailcast.subscriber.AddressNormalizer;
import io.mailcast.suppression.SuppressionList;
import io.mailcast.suppression.SuppressionReason;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Takes a message from an application: checks it, checks the key may send from its domain, leaves out recipients on
 * the suppression list, stores it durably (at most once per idempotency key), and tells the dispatcher. The caller
 * acknowledges only after this returns.
 *
 * <p>Messages through the API are transactional (a password reset, a receipt): a hard bounce, repeated soft bounces,
 * a complaint or an operator's entry keeps a recipient out, as it does for campaigns, but an unsubscribe does not. An
 * unsubscribe is from bulk mail, and the application asked for this message on the recipient's behalf.
 */
public final class MessageIntake {

    static final int MAX_IDEMPOTENCY_KEY = 255;

    private final MessageStore store;
    private final MessageValidator validator;
    private final MessageStats stats;
    private final SuppressionList suppressions;
    private final ApiTemplateStore templates;
    private final Clock clock;
    private final Consumer<StoredMessage> onAccepted;

    /** @param onAccepted told of each newly stored message, after it is stored (the local dispatcher sends it at once) */
    public MessageIntake(MessageStore store, MessageValidator validator, SuppressionList suppressions,
                         ApiTemplateStore templates, MessageStats stats, Clock clock,
                         Consumer<StoredMessage> onAccepted) {
        this.store = store;
        this.validator = validator;
        this.suppressions = suppressions;
        this.templates = templates;
        this.stats = stats;
        this.clock = clock;
        this.onAccepted = onAccepted;
    }

    /**
     * @param idempotencyKey the client's key, {@code null} for none
     * @throws InvalidMessageException   when the message or the idempotency key is not acceptable
     * @throws SenderNotAllowedException when the key may not send from the message's domain
     * @throws RecipientsSuppressedException when every recipient is on the suppression list
     */
    public MessageStore.Accepted submit(ApiKey key, Message message, String idempotencyKey) {
        checkIdempotencyKey(idempotencyKey);
        validator.check(message);
        String domain = MessageValidator.senderDomain(message);
        if (!key.allowsSenderDomain(domain)) {
            throw new SenderNotAllowedException(domain);
        }
        Map<String, SuppressionReason> suppressed = suppressed(message.recipients());
        if (suppressed.size() == message.recipients().size()) {
            throw new RecipientsSuppressedException(suppressed);
        }
        var queued = StoredMessage.queued(UUID.randomUUID().toString(), key.id(), idempotencyKey, message,
                List.copyOf(suppressed.keySet()), clock.instant())
                .withWebhook(key.webhook() == null ? null : key.webhook().url());
        MessageStore.Accepted accepted = store.accept(queued);
        if (accepted.created()) {
            stats.accepted.increment();
            stats.byKey.get(key.id()).accepted.increment();
            onAccepted.accept(accepted.message());
        }
        return accepted;
    }

    /**
     * {@code envelope} (from, recipients, headers, tags) with the subject and bodies of the named template rendered
     * with {@code data}.
     *
     * @throws InvalidMessageException when the envelope has its own subject or body, there is no such template, or
     *                                 the data lacks a value the template uses
     */
    public Message fromTemplate(String template, Map<String, Object> data, Message envelope) {
        if (envelope.subject() != null || envelope.text() != null || envelope.html() != null) {
            throw new InvalidMessageException("template", "give either template (with data) or subject and text/html, "
                    + "not both");
        }
        ApiTemplate found = templates.find(template).orElseThrow(() -> new InvalidMessageException("template",
                "no template named '" + template + "'; create it with `coordinator template put " + template + "`"));
        ApiTemplate.Rendered rendered = found.render(data == null ? Map.of() : data);
        return new Message(envelope.from(), envelope.to(), envelope.cc(), envelope.replyTo(), rendered.subject(),
                rendered.text(), rendered.html(), envelope.headers(), envelope.tags());
    }

    /** The recipients kept out, as written, with why, in the message's order; one lookup. */
    private Map<String, SuppressionReason> suppressed(List<String> recipients) {
        Map<String, SuppressionReason> reasons = suppressions.reasonsAmong(
                recipients.stream().map(AddressNormalizer::normalize).toList());
        Map<String, SuppressionReason> out = new LinkedHashMap<>();
        for (String recipient : recipients) {
            SuppressionReason reason = reasons.get(AddressNormalizer.normalize(recipient));
            if (reason != null && reason != SuppressionReason.UNSUBSCRIBED) {
                out.put(recipient, reason);
            }
        }
        return out;
    }

    private static void checkIdempotencyKey(String key) {
        if (key == null) {
            return;
        }
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY || key.chars().anyMatch(c -> c < 33 || c > 126)) {
            throw new InvalidMessageException("Idempotency-Key", "the idempotency key must be 1 to "
                    + MAX_IDEMPOTENCY_KEY + " printable ASCII characters without spaces");
        }
    }
}
