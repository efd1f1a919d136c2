package io.mailcast.node;

import io.mailcast.sender.Sender;
import io.mailcast.sender.SimulatedSender;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.SmtpSender;

import java.time.Duration;

/** Which sender a node uses: the simulator or SMTP. */
public sealed interface SenderSettings {

    Sender create();

    String describe();

    record Simulated(Duration latency, double failureRate) implements SenderSettings {
        @Override
        public Sender create() {
            return new SimulatedSender(latency, failureRate);
        }

        @Override
        public String describe() {
            return "simulated(latency=" + latency.toMillis() + "ms, failure-rate=" + failureRate + ")";
        }
    }

    record Smtp(SmtpConfig config) implements SenderSettings {
        @Override
        public Sender create() {
            return new SmtpSender(config, java.time.Clock.systemUTC());
        }

        @Override
        public String describe() {
            return "smtp(" + config + ")";
        }
    }
}
