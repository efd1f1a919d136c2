package io.mailcast.sender;

/**
 * Asked by a sender just before a message's first byte leaves for a relay, on the thread that writes it. Until then
 * the message is certainly unsent (waiting for quota, a relay or a connection), so its owner need only take
 * responsibility for it here: a chunk raises its durable reservation, which after a crash is the count of recipients
 * in doubt.
 */
@FunctionalInterface
public interface HandOver {

    HandOver NONE = () -> {
    };

    /** @throws SendWithheldException when the message must not go out: it then ends unsent, without doubt */
    void approve() throws SendWithheldException;
}
