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
