package io.mailcast.sender;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The original benchmark's sender: waits a fixed latency per message (a parked virtual thread costs no carrier) and
 * optionally fails a share of messages as a relay would, transiently.
 */
public final class SimulatedSender implements Sender {

    private final String name;
    private final Duration latency;
    private final double failureRate;

    public SimulatedSender(Duration latency, double failureRate) {
        this("simulated", latency, failureRate);
    }

    /** A simulator reporting {@code name} as its relay, to stand in for one relay of several. */
    public SimulatedSender(String name, Duration latency, double failureRate) {
        this.name = Objects.requireNonNull(name, "name");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("simulated latency must not be negative, got " + latency);
        }
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failure rate must be between 0 and 1, got " + failureRate);
        }
        this.latency = latency;
        this.failureRate = failureRate;
    }

    @Override
    public String kind() {
        return "simulated";
    }

    @Override
    public SendResult send(OutgoingMessage message) throws InterruptedException {
        if (!latency.isZero()) {
            Thread.sleep(latency);
        }
        if (failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate) {
            return SendResult.failed("451 4.3.0 simulated transient failure", true, name);
        }
        return SendResult.sent(name);
    }
}
