package io.mailcast.inbound;

import io.mailcast.bounce.BounceProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.SMTPServer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The nodes' inbound SMTP server for the bounce domain (SubEthaSMTP): the MX of that domain points at it, and the DSNs
 * and ARF reports it receives go to a {@link BounceProcessor}. No relaying, no AUTH, no TLS (bounces arrive from any
 * MTA; STARTTLS can be added at a proxy in front).
 */
public final class BounceListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BounceListener.class);
    /** A bounce goes to one VERP address; a few more cover a report copied to several. */
    private static final int MAX_RECIPIENTS = 10;

    private final SMTPServer server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BounceListener(SMTPServer server) {
        this.server = server;
    }

    public static BounceListener start(BounceListenerConfig config, BounceProcessor processor) {
        Objects.requireNonNull(processor, "processor");
        SMTPServer server = SMTPServer.port(config.port())
                .hostName(processor.verp().domain())
                .softwareName("Mailcast bounce listener")
                .messageHandlerFactory(context -> new BounceSession(processor, config.maxMessageBytes()))
                .maxMessageSize(config.maxMessageBytes())
                .maxConnections(config.maxConnections())
                .connectionTimeout((int) config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxRecipients(MAX_RECIPIENTS)
                .build();
        server.start();
        BounceListener listener = new BounceListener(server);
        log.info("bounce listener on port {} for {} (max {} bytes per message)", listener.port(),
                processor.verp().domain(), config.maxMessageBytes());
        return listener;
    }

    /** The bound port (the chosen one when configured as 0). */
    public int port() {
        return server.getPortAllocated();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop();
        }
    }
}
