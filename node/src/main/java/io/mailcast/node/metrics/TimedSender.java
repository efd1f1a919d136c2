package io.mailcast.node.metrics;

import io.mailcast.sender.ForwardingSender;
import io.mailcast.sender.HandOver;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Locale;

/** A sender that records how long each send took, per relay and outcome ({@code mailcast_send_duration_seconds}). */
public final class TimedSender extends ForwardingSender {

    private final Histograms durations;

    public TimedSender(Sender delegate, MeterRegistry registry) {
        super(delegate);
        this.durations = new Histograms(registry, "mailcast.send.duration",
                "Time from handing a message to a relay to its final reply, per relay and outcome",
                Histograms.seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60));
    }

    @Override
    public SendResult send(OutgoingMessage message, HandOver handOver) throws InterruptedException {
        long started = System.nanoTime();
        SendResult result = delegate.send(message, handOver);
        durations.record(Duration.ofNanos(System.nanoTime() - started),
                "relay", result.relay() == null ? "none" : result.relay(),
                "outcome", result.outcome().name().toLowerCase(Locale.ROOT));
        return result;
    }
}
