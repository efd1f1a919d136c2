package io.mailcast.bounce;

import io.mailcast.sender.ForwardingSender;
import io.mailcast.sender.HandOver;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;

import java.util.Objects;

/** Gives every message its own VERP envelope sender on the way to the relay. */
public final class VerpSender extends ForwardingSender {

    private final VerpAddresses verp;

    public VerpSender(Sender delegate, VerpAddresses verp) {
        super(delegate);
        this.verp = Objects.requireNonNull(verp, "verp");
    }

    @Override
    public SendResult send(OutgoingMessage message, HandOver handOver) throws InterruptedException {
        return delegate.send(message.withEnvelopeSender(verp.forMessage(message)), handOver);
    }
}
