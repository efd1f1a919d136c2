package io.mailcast.message;

import io.mailcast.apikey.ApiKey;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Takes a message from an application: checks it, checks the key may send from its domain, stores it durably (at most
 * once per idempotency key), and tells the dispatcher. The caller acknowledges only after this returns.
 */
public final class MessageIntake {

    static final int MAX_IDEMPOTENCY_KEY = 255;

    private final MessageStore store;
    private final MessageValidator validator;
    private final MessageStats stats;
    private final Clock clock;
    private final Consumer<StoredMessage> onAccepted;

    /** @param onAccepted told of each newly stored message, after it is stored (the local dispatcher sends it at once) */
    public MessageIntake(MessageStore store, MessageValidator validator, MessageStats stats, Clock clock,
                         Consumer<StoredMessage> onAccepted) {
        this.store = store;
        this.validator = validator;
        this.stats = stats;
        this.clock = clock;
        this.onAccepted = onAccepted;
    }

    /**
     * @param idempotencyKey the client's key, {@code null} for none
     * @throws InvalidMessageException   when the message or the idempotency key is not acceptable
     * @throws SenderNotAllowedException when the key may not send from the message's domain
     */
    public MessageStore.Accepted submit(ApiKey key, Message message, String idempotencyKey) {
        checkIdempotencyKey(idempotencyKey);
        validator.check(message);
        String domain = MessageValidator.senderDomain(message);
        if (!key.allowsSenderDomain(domain)) {
            throw new SenderNotAllowedException(domain);
        }
        var queued = StoredMessage.queued(UUID.randomUUID().toString(), key.id(), idempotencyKey, message, clock.instant());
        MessageStore.Accepted accepted = store.accept(queued);
        if (accepted.created()) {
            stats.accepted.increment();
            onAccepted.accept(accepted.message());
        }
        return accepted;
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
