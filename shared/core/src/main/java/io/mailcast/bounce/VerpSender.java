package io.mailcast.bounce;

import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.RelayFigures;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;

import java.util.List;
import java.util.Objects;

/** Gives every message its own VERP envelope sender on the way to the relay. */
public final class VerpSender implements Sender {

    private final Sender delegate;
    private final VerpAddresses verp;

    public VerpSender(Sender delegate, VerpAddresses verp) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.verp = Objects.requireNonNull(verp, "verp");
    }

    @Override
    public SendResult send(OutgoingMessage message) throws InterruptedException {
        return delegate.send(message.withEnvelopeSender(verp.forMessage(message)));
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
    public void close() {
        delegate.close();
    }
}
