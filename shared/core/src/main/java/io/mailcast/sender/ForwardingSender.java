package io.mailcast.sender;

import java.util.List;
import java.util.Objects;

/**
 * A sender that does something around another one's {@link #send}: its kind, relay figures, stopping and closing
 * are the delegate's.
 */
public abstract class ForwardingSender implements Sender {

    protected final Sender delegate;

    protected ForwardingSender(Sender delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public final SendResult send(OutgoingMessage message) throws InterruptedException {
        return send(message, HandOver.NONE);
    }

    /** Does its part and passes {@code handOver} on to the delegate, which asks it when the message leaves. */
    @Override
    public abstract SendResult send(OutgoingMessage message, HandOver handOver) throws InterruptedException;

    @Override
    public String kind() {
        return delegate.kind();
    }

    @Override
    public List<RelayFigures> relayFigures() {
        return delegate.relayFigures();
    }

    @Override
    public void stopWaiting() {
        delegate.stopWaiting();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
