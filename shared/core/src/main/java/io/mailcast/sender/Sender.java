package io.mailcast.sender;

import java.util.List;

/**
 * Delivers one message. Implementations are called from many virtual threads at once and must be thread-safe;
 * they report failures as {@link SendResult}s rather than throwing, so one bad recipient never stops a chunk.
 */
public interface Sender extends AutoCloseable {

    SendResult send(OutgoingMessage message) throws InterruptedException;

    /**
     * Sends, asking {@code handOver} just before the message goes to a relay. Senders that make messages wait (for
     * quota, a relay, a connection) pass it on to where the wait ends; this default asks at once.
     *
     * @throws SendWithheldException when {@code handOver} refused: nothing went out
     */
    default SendResult send(OutgoingMessage message, HandOver handOver) throws InterruptedException {
        handOver.approve();
        return send(message);
    }

    /** What kind of sender this is (simulated, smtp), recorded with each campaign it delivers. */
    default String kind() {
        return "custom";
    }

    /** Per-relay figures for metrics; empty for a sender that does not choose between relays. */
    default List<RelayFigures> relayFigures() {
        return List.of();
    }

    /**
     * The node is stopping: sends waiting before they reach a relay (for quota, for a relay to come back) end with
     * {@link SendWithheldException} instead of waiting on; sends already with a relay finish. Idempotent.
     */
    default void stopWaiting() {
    }

    /** Releases connections; idempotent. */
    @Override
    default void close() {
    }
}
