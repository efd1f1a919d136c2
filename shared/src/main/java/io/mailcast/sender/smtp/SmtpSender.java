package io.mailcast.sender.smtp;

import io.mailcast.sender.AddressValidator;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends through one SMTP relay over a small pool of long-lived connections ({@link SmtpConfig#poolSize()}), so
 * thousands of virtual threads share a few SMTP sessions. Each message is serialised once by {@link MimeWriter} and
 * sent by {@link PipelinedSmtpTransport}: one MAIL/RCPT/DATA exchange, pipelined when the relay allows it.
 *
 * <p>Angus Mail's transport methods are {@code synchronized} and block on sockets; since JDK 24 (JEP 491) that
 * no longer pins the carrier thread, so blocking inside them is fine on virtual threads. Each transport is used by
 * one caller at a time anyway; the pool hands them out.
 *
 * <p>Results: an invalid recipient is reported without contacting the relay; 4xx replies and connection
 * problems are retryable; 5xx replies are permanent and keep the relay's text.
 */
public final class SmtpSender implements Sender {

    private static final Logger log = LoggerFactory.getLogger(SmtpSender.class);
    // Relays commonly drop connections idle for 30 s or more; probing sooner than that costs a round trip.
    private static final Duration CHECK_AFTER_IDLE = Duration.ofSeconds(10);

    private final SmtpConfig config;
    private final Session session;
    private final RelaySockets sockets = new RelaySockets();
    private final MimeWriter writer;
    private final TransportPool<PipelinedSmtpTransport> pool;
    // Logs the relay going down and coming back once, instead of once per message.
    private final AtomicBoolean relayDown = new AtomicBoolean();

    public SmtpSender(SmtpConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.session = Session.getInstance(SmtpSessionProperties.of(config, sockets));
        this.writer = new MimeWriter(clock);
        this.pool = new TransportPool<>(config.poolSize(), CHECK_AFTER_IDLE, clock, this::connect);
    }

    @Override
    public SendResult send(OutgoingMessage message) throws InterruptedException {
        Optional<String> problem = AddressValidator.problem(message.to());
        if (problem.isPresent()) {
            return SendResult.invalid(problem.get());
        }
        MimeWriter.WireMessage wire;
        try {
            wire = writer.write(message);
        } catch (MessagingException | IllegalArgumentException e) {
            // The campaign's From/Reply-To or extra headers are wrong: retrying cannot fix that.
            return failed("cannot build the message: " + e.getMessage(), false);
        }

        PipelinedSmtpTransport transport;
        try {
            transport = pool.acquire();
        } catch (MessagingException e) {
            SmtpFailure failure = SmtpFailure.ofConnect(e);
            if (relayDown.compareAndSet(false, true)) {
                log.warn("SMTP relay {} ({}:{}) is unavailable, sends will fail as retryable until it recovers: {}",
                        config.name(), config.host(), config.port(), failure.reason());
            }
            return SendResult.unreachable(failure.reason(), config.name());
        } catch (IllegalStateException e) {
            return failed("SMTP sender " + config.name() + " is closed", true);
        }
        return sendOver(transport, wire, message);
    }

    private SendResult sendOver(PipelinedSmtpTransport transport, MimeWriter.WireMessage wire, OutgoingMessage message)
            throws InterruptedException {
        boolean reusable = false;
        try {
            // The envelope recipient is the validated address, never whatever the To header parsing made of it.
            transport.send(wire.sender(), wire.recipient(), wire.content());
            reusable = true;
            return SendResult.sent(config.name());
        } catch (MessagingException | IllegalStateException e) {
            SmtpFailure failure = SmtpFailure.of(e);
            reusable = !failure.connectionLost();
            // Interrupting a virtual thread blocked on a socket closes it; report the interrupt, not the I/O error.
            if (failure.connectionLost() && Thread.interrupted()) {
                throw new InterruptedException("interrupted while sending to relay " + config.name());
            }
            log.debug("send of campaign {} to subscriber {} failed: {}", message.campaignId(), message.subscriberId(),
                    failure.reason());
            return failed(failure.reason(), failure.retryable());
        } finally {
            if (reusable) {
                pool.release(transport);
            } else {
                pool.discard(transport);
            }
        }
    }

    private PipelinedSmtpTransport connect() throws MessagingException {
        var transport = new PipelinedSmtpTransport(session, sockets, config.writeTimeout());
        transport.connect(config.host(), config.port(), config.user(), config.password());
        if (relayDown.compareAndSet(true, false)) {
            log.info("SMTP relay {} ({}:{}) is reachable again", config.name(), config.host(), config.port());
        }
        log.debug("opened SMTP connection to {}:{}", config.host(), config.port());
        return transport;
    }

    private SendResult failed(String reason, boolean retryable) {
        return SendResult.failed(reason, retryable, config.name());
    }

    /** Closes every connection; sends still running finish and then close theirs. Idempotent. */
    @Override
    public void close() {
        pool.close();
    }
}
