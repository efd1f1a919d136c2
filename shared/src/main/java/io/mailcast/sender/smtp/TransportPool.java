package io.mailcast.sender.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code size} connected transports to one relay, shared by any number of callers.
 *
 * <p>A permit is one connection that may exist; callers beyond {@code size} wait for one in FIFO order. Idle
 * transports are reused newest first, so under light load the spare ones go stale alone instead of all of them.
 * A transport idle longer than {@code checkAfterIdle} is probed with NOOP before use: relays drop idle connections,
 * while probing a busy one would double the round trips for nothing.
 */
final class TransportPool<T extends Transport> implements AutoCloseable {

    /** Opens a new connected transport. */
    @FunctionalInterface
    interface Connector<T> {
        T connect() throws MessagingException;
    }

    private record Idle<T extends Transport>(T transport, Instant since) {
    }

    private static final Logger log = LoggerFactory.getLogger(TransportPool.class);

    private final Connector<T> connector;
    private final Clock clock;
    private final Duration checkAfterIdle;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Idle<T>> idle = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    TransportPool(int size, Duration checkAfterIdle, Clock clock, Connector<T> connector) {
        this.permits = new Semaphore(size, true);
        this.checkAfterIdle = checkAfterIdle;
        this.clock = clock;
        this.connector = connector;
    }

    /**
     * Waits for a free slot and returns a connected transport, which the caller must hand back with
     * {@link #release} or {@link #discard}.
     *
     * @throws MessagingException    when a new connection could not be opened
     * @throws IllegalStateException when the pool is closed
     */
    T acquire() throws InterruptedException, MessagingException {
        permits.acquire();
        try {
            if (closed.get()) {
                throw new IllegalStateException("SMTP connection pool is closed");
            }
            T reused = reusable();
            return reused != null ? reused : connector.connect();
        } catch (MessagingException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Returns a healthy transport for reuse. */
    void release(T transport) {
        try {
            idle.offerFirst(new Idle<>(transport, clock.instant()));
            // close() may have drained the queue just before the offer.
            if (closed.get()) {
                closeIdle();
            }
        } finally {
            permits.release();
        }
    }

    /** Closes a transport whose connection is broken or in an unknown state, freeing its slot. */
    void discard(T transport) {
        try {
            closeQuietly(transport);
        } finally {
            permits.release();
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Closes idle transports now and busy ones when they are released; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeIdle();
        }
    }

    private T reusable() {
        for (Idle<T> candidate = idle.pollFirst(); candidate != null; candidate = idle.pollFirst()) {
            boolean fresh = Duration.between(candidate.since(), clock.instant()).compareTo(checkAfterIdle) < 0;
            // isConnected() sends NOOP and closes the transport itself when the relay does not answer.
            if (fresh || candidate.transport().isConnected()) {
                return candidate.transport();
            }
            log.debug("dropping stale SMTP connection idle since {}", candidate.since());
            closeQuietly(candidate.transport());
        }
        return null;
    }

    private void closeIdle() {
        for (Idle<T> candidate = idle.pollFirst(); candidate != null; candidate = idle.pollFirst()) {
            closeQuietly(candidate.transport());
        }
    }

    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException e) {
            log.debug("error closing SMTP connection", e);
        }
    }
}
