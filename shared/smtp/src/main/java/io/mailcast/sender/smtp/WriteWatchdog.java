package io.mailcast.sender.smtp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces the SMTP write timeout: java.net sockets have a read timeout but none for writes, so a relay that stops
 * reading would block a sender forever. One daemon thread looks at every open connection a few times a second and
 * closes the socket of a write that has run too long.
 *
 * <p>Why a sweeper rather than a timer per write: scheduling and cancelling a timer task for each of thousands of
 * writes per second cost a visible share of a node's CPU in wake-ups; this costs two volatile writes per write.
 * Elapsed time is real time here (System.nanoTime), like the socket's own read timeout.
 */
final class WriteWatchdog {

    private static final long SWEEP_MILLIS = 200;

    private final Set<PipelinedSmtpTransport> watched = ConcurrentHashMap.newKeySet();

    WriteWatchdog() {
        Thread.ofPlatform().daemon().name("mailcast-smtp-write-watchdog").start(this::sweep);
    }

    void watch(PipelinedSmtpTransport transport) {
        watched.add(transport);
    }

    void forget(PipelinedSmtpTransport transport) {
        watched.remove(transport);
    }

    private void sweep() {
        while (true) {
            try {
                Thread.sleep(SWEEP_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            watched.removeIf(transport -> transport.abortIfStalled(now));
        }
    }
}
