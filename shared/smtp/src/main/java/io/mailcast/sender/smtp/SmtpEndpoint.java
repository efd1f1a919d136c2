package io.mailcast.sender.smtp;

import io.mailcast.sender.Sender;
import io.mailcast.sender.relay.RelayEndpoint;

import java.time.Clock;
import java.util.Objects;

/** A relay reached over SMTP. */
public record SmtpEndpoint(SmtpConfig config) implements RelayEndpoint {

    public SmtpEndpoint {
        Objects.requireNonNull(config, "config");
    }

    @Override
    public Sender create(String relayName, Clock clock) {
        return new SmtpSender(config.withName(relayName), clock);
    }

    @Override
    public String describe() {
        // SmtpConfig.toString masks the password.
        return config.toString();
    }
}
