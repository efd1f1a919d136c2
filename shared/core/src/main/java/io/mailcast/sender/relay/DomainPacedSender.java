package io.mailcast.sender.relay;

import io.mailcast.sender.ForwardingSender;
import io.mailcast.sender.HandOver;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.mailcast.time.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Holds each send until its recipient domain has a free slot under that domain's rate ({@link DomainRates}), then
 * hands it on. A send that would wait longer than {@code maxWait} fails as retryable, like a relay without a free slot.
 * A waiting send keeps its place among the node's sends in flight: when one limited domain dominates an audience, the
 * limit sets the pace of the whole campaign.
 */
public final class DomainPacedSender extends ForwardingSender {

    private final DomainRates rates;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration maxWait;

    public DomainPacedSender(Sender delegate, DomainRates rates, Clock clock, Sleeper sleeper, Duration maxWait) {
        super(delegate);
        this.rates = rates;
        this.clock = clock;
        this.sleeper = sleeper;
        this.maxWait = maxWait;
    }

    @Override
    public SendResult send(OutgoingMessage message, HandOver handOver) throws InterruptedException {
        Optional<Pacer> pacer = rates.pacerFor(message.to());
        if (pacer.isPresent()
                && !pacer.get().await(1, message.isUrgent(), clock.instant().plus(maxWait), clock, sleeper)) {
            String domain = message.to().substring(message.to().lastIndexOf('@') + 1);
            return SendResult.failed("no send slot for domain " + domain + " within " + maxWait.toSeconds()
                    + " s (its rate limit)", true, null);
        }
        return delegate.send(message, handOver);
    }
}
