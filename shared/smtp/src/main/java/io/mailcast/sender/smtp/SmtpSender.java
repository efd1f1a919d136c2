package io.mailcast.sender.smtp;

import io.mailcast.sender.HandOver;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.SendWithheldException;
import io.mailcast.sender.Sender;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends through one SMTP relay over at most {@link SmtpConfig#poolSize()} long-lived connections per node.
 *
 * <p>Each caller serialises its message ({@link MimeWriter}) on its own thread and queues it. Each connection is
 * driven by one virtual thread that takes what is queued, up to {@link #MAX_BATCH} messages at a time, and sends
 * them back to back ({@link PipelinedSmtpTransport}): with PIPELINING one round trip per message. Why: when every
 * caller took a connection for itself, each message cost two socket waits plus a hand-over of the connection, and
 * the wake-ups of those hand-overs were a quarter of a node's CPU.
 *
 * <p>Connections are opened on demand, reused, probed with NOOP after {@link #CHECK_AFTER_IDLE} without use (relays
 * drop idle ones), closed after {@link #CLOSE_AFTER_IDLE}, and replaced when they fail.
 *
 * <p>Results: an invalid recipient is reported without contacting the relay; 4xx replies and connection problems
 * are retryable; 5xx replies are permanent and keep the relay's text, except 503 (a sequencing error of the session,
 * retried on a new connection). A message whose connection broke after its end of data went out, or whose final reply
 * did not come in time, is reported as a retryable failure in doubt ({@link SendResult#inDoubt}: it may have arrived);
 * the ones behind it in the same batch were never tried and go back to the queue.
 */
public final class SmtpSender implements Sender {

    private static final Logger log = LoggerFactory.getLogger(SmtpSender.class);
    private static final Duration CHECK_AFTER_IDLE = Duration.ofSeconds(10);
    private static final Duration CLOSE_AFTER_IDLE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final int MAX_BATCH = 32;

    private record Request(OutgoingMessage message, MimeWriter.WireMessage wire, HandOver handOver,
                           CompletableFuture<SendResult> result) {
    }

    private final SmtpConfig config;
    private final Clock clock;
    private final Session session;
    private final RelaySockets sockets = new RelaySockets();
    private final MimeWriter writer;
    private final LinkedBlockingDeque<Request> queue = new LinkedBlockingDeque<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger idleConnections = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    // Logs the relay going down and coming back once, instead of once per message.
    private final AtomicBoolean relayDown = new AtomicBoolean();
    /** Whether the relay offers 8BITMIME, learnt from its connections; messages are 7-bit until it is known. */
    private volatile boolean relayTakes8Bit;

    public SmtpSender(SmtpConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.session = Session.getInstance(SmtpSessionProperties.of(config, sockets));
        this.writer = new MimeWriter(clock);
    }

    @Override
    public String kind() {
        return "smtp";
    }

    @Override
    public SendResult send(OutgoingMessage message) throws InterruptedException {
        return send(message, HandOver.NONE);
    }

    /** {@code handOver} is asked on the connection's thread right before the message's envelope goes out. */
    @Override
    public SendResult send(OutgoingMessage message, HandOver handOver) throws InterruptedException {
        MimeWriter.WireMessage wire;
        try {
            wire = writer.write(message, relayTakes8Bit);
        } catch (MimeWriter.InvalidRecipientException e) {
            return SendResult.invalid(e.problem());
        } catch (MessagingException | IllegalArgumentException e) {
            // The campaign's From/Reply-To or extra headers are wrong: retrying cannot fix that.
            return failed("cannot build the message: " + e.getMessage(), false);
        }
        if (closed.get()) {
            return closedResult();
        }
        Request request = new Request(message, wire, handOver, new CompletableFuture<>());
        // A send-API copy goes before the campaign mail already queued for the connections.
        if (message.isUrgent()) {
            queue.addFirst(request);
        } else {
            queue.addLast(request);
        }
        openConnectionIfNeeded();
        // close() may have drained the queue just before the add.
        if (closed.get() && queue.remove(request)) {
            return closedResult();
        }
        try {
            return request.result().get();
        } catch (InterruptedException e) {
            queue.remove(request); // not yet taken: it will not be sent; taken: it may still go out
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SendWithheldException withheld) {
                throw withheld;
            }
            return failed("SMTP sender error: " + e.getCause(), true);
        }
    }

    /** One connection per waiting message, up to the pool size; an idle connection will take it otherwise. */
    private void openConnectionIfNeeded() {
        while (idleConnections.get() == 0) {
            int open = connections.get();
            if (open >= config.poolSize()) {
                return;
            }
            if (connections.compareAndSet(open, open + 1)) {
                Thread.ofVirtual().name("smtp-" + config.name()).start(this::runConnection);
                return;
            }
        }
    }

    /** Drives one connection until it fails, stays idle too long or the sender closes. */
    private void runConnection() {
        PipelinedSmtpTransport transport = null;
        Instant lastUsed = clock.instant();
        try {
            long idleSince = System.nanoTime();
            while (!closed.get()) {
                List<Request> batch = takeBatch();
                if (batch.isEmpty()) {
                    if (System.nanoTime() - idleSince > CLOSE_AFTER_IDLE.toNanos()) {
                        return;
                    }
                    continue;
                }
                if (transport != null && Duration.between(lastUsed, clock.instant()).compareTo(CHECK_AFTER_IDLE) >= 0
                        && !transport.isConnected()) {
                    log.debug("dropping stale SMTP connection to {} last used {}", config.name(), lastUsed);
                    closeQuietly(transport);
                    transport = null;
                }
                if (transport == null) {
                    transport = connectOrFail(batch);
                    if (transport == null) {
                        return;
                    }
                }
                if (!sendOver(transport, batch)) {
                    closeQuietly(transport);
                    transport = null;
                    return;
                }
                lastUsed = clock.instant();
                idleSince = System.nanoTime();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(transport);
            connections.decrementAndGet();
            if (closed.get()) {
                failQueued();
            } else if (!queue.isEmpty()) {
                openConnectionIfNeeded();
            }
        }
    }

    private List<Request> takeBatch() throws InterruptedException {
        idleConnections.incrementAndGet();
        Request first;
        try {
            first = queue.pollFirst(POLL.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            idleConnections.decrementAndGet();
        }
        if (first == null) {
            return List.of();
        }
        List<Request> batch = new ArrayList<>(Math.min(MAX_BATCH, queue.size() + 1));
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        return batch;
    }

    /** A connected transport, or null after failing {@code batch}: the relay is unreachable or refused the login. */
    private PipelinedSmtpTransport connectOrFail(List<Request> batch) {
        try {
            var transport = new PipelinedSmtpTransport(session, sockets, config.writeTimeout());
            transport.connect(config.host(), config.port(), config.user(), config.password());
            relayTakes8Bit = transport.supportsExtension("8BITMIME");
            if (relayDown.compareAndSet(true, false)) {
                log.info("SMTP relay {} ({}:{}) is reachable again", config.name(), config.host(), config.port());
            }
            log.debug("opened SMTP connection to {}:{}", config.host(), config.port());
            return transport;
        } catch (MessagingException e) {
            SmtpFailure failure = SmtpFailure.ofConnect(e);
            if (relayDown.compareAndSet(false, true)) {
                log.warn("SMTP relay {} ({}:{}) is unavailable, sends will fail as retryable until it recovers: {}",
                        config.name(), config.host(), config.port(), failure.reason());
            }
            batch.forEach(r -> r.result().complete(SendResult.unreachable(failure.reason(), config.name())));
            return null;
        }
    }

    /** Sends a batch and settles every request in it (or puts it back in the queue); false when the connection is lost. */
    private boolean sendOver(PipelinedSmtpTransport transport, List<Request> batch) {
        boolean[] settled = new boolean[batch.size()];
        try {
            boolean takes8Bit = transport.supportsExtension("8BITMIME");
            List<MimeWriter.WireMessage> wires = batch.stream()
                    .map(r -> r.wire().eightBit() && !takes8Bit ? sevenBit(r.message()) : r.wire()).toList();
            transport.send(wires, new PipelinedSmtpTransport.Outcomes() {
                @Override
                public boolean handingOver(int index) {
                    try {
                        batch.get(index).handOver().approve();
                        return true;
                    } catch (SendWithheldException e) {
                        settled[index] = true;
                        batch.get(index).result().completeExceptionally(e);
                        return false;
                    }
                }

                @Override
                public void accepted(int index) {
                    settle(index, SendResult.sent(config.name()));
                }

                @Override
                public void refused(int index, MessagingException reply) {
                    SmtpFailure failure = SmtpFailure.of(reply);
                    log.debug("relay {} refused subscriber {}: {}", config.name(), batch.get(index).wire().recipient(),
                            failure.reason());
                    settle(index, failed(failure.reason(), failure.retryable()));
                }

                @Override
                public void broken(int index, Exception failure, boolean mayHaveArrived) {
                    String reason = SmtpFailure.of(failure).reason();
                    settle(index, mayHaveArrived ? SendResult.inDoubt(reason, config.name()) : failed(reason, true));
                }

                private void settle(int index, SendResult result) {
                    settled[index] = true;
                    batch.get(index).result().complete(result);
                }
            });
            return true;
        } catch (MessagingException | RuntimeException e) {
            log.debug("SMTP connection to {} failed: {}", config.name(), SmtpFailure.of(e).reason());
            int first = 0;
            while (first < settled.length && settled[first]) {
                first++;
            }
            // Broke before the transport reported anything: the first message takes the failure, so a connection
            // that always breaks this way cannot send the batch round in circles.
            if (first == 0 && first < settled.length) {
                batch.get(first).result().complete(failed(SmtpFailure.of(e).reason(), true));
                first++;
            }
            // Never tried: back to the front of the queue, in their order, for another connection.
            for (int i = settled.length - 1; i >= first; i--) {
                if (!settled[i]) {
                    queue.addFirst(batch.get(i));
                }
            }
            return false;
        }
    }

    /** Rare: written for 8BITMIME, then the relay stopped offering it (a different server behind the same name). */
    private MimeWriter.WireMessage sevenBit(OutgoingMessage message) {
        try {
            return writer.write(message, false);
        } catch (MessagingException e) {
            throw new IllegalStateException("a message that was written once cannot fail to be written again", e);
        }
    }

    private void failQueued() {
        for (Request r = queue.pollFirst(); r != null; r = queue.pollFirst()) {
            r.result().complete(closedResult());
        }
    }

    private SendResult closedResult() {
        return failed("SMTP sender " + config.name() + " is closed", true);
    }

    private SendResult failed(String reason, boolean retryable) {
        return SendResult.failed(reason, retryable, config.name());
    }

    private static void closeQuietly(PipelinedSmtpTransport transport) {
        if (transport == null) {
            return;
        }
        try {
            transport.close();
        } catch (MessagingException e) {
            log.debug("error closing SMTP connection", e);
        }
    }

    /** Stops taking messages; batches under way finish, then their connections close. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            failQueued();
        }
    }
}
