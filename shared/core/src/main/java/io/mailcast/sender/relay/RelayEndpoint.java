package io.mailcast.sender.relay;

import io.mailcast.sender.Sender;
import io.mailcast.sender.SimulatedSender;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a relay's messages go: a real relay (an adapter such as the SMTP module's {@code SmtpEndpoint}), or the
 * simulator (for demos and load tests).
 */
public interface RelayEndpoint {

    /** A sender for this endpoint that reports {@code relayName} in its results. */
    Sender create(String relayName, Clock clock);

    /** One line for logs; never contains a secret. */
    String describe();

    record Simulated(Duration latency, double failureRate) implements RelayEndpoint {
        public Simulated {
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("simulated latency must not be negative, got " + latency);
            }
            if (failureRate < 0 || failureRate > 1) {
                throw new IllegalArgumentException("simulated failure rate must be between 0 and 1, got " + failureRate);
            }
        }

        @Override
        public Sender create(String relayName, Clock clock) {
            return new SimulatedSender(relayName, latency, failureRate);
        }

        @Override
        public String describe() {
            return "simulated(latency=" + latency.toMillis() + "ms, failure-rate=" + failureRate + ")";
        }
    }
}
