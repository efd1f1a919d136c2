package io.mailcast.message;

import io.mailcast.delivery.UncertainCause;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.SendWithheldException;
import io.mailcast.sender.Sender;
import io.mailcast.subscriber.SubscriberId;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One attempt at a claimed message: a copy to each recipient not yet accepted, all at once on virtual threads, through
 * the node's sender (its relays, limits and failover). How the attempt ends: SENT when every recipient is accepted;
 * FAILED when a relay refused one for good or the attempts are used up; otherwise QUEUED again after a back-off, and
 * the next attempt sends only to the recipients still missing.
 */
final class SendAttempt {

    private final Sender sender;
    private final DispatchTuning tuning;
    private final Clock clock;

    SendAttempt(Sender sender, DispatchTuning tuning, Clock clock) {
        this.sender = sender;
        this.tuning = tuning;
        this.clock = clock;
    }

    /** @throws InterruptedException when the node is being killed: the attempt is left unrecorded, as a crash would */
    Settlement run(StoredMessage claimed) throws InterruptedException {
        List<String> pending = claimed.pending();
        List<SendResult> results = sendAll(claimed, pending);
        List<String> delivered = new ArrayList<>(claimed.delivered());
        SendResult failure = null;
        String failedRecipient = null;
        boolean permanent = false;
        int inDoubt = 0;
        String relay = null;
        for (int i = 0; i < pending.size(); i++) {
            SendResult result = results.get(i);
            inDoubt += result.attemptsInDoubt();
            relay = result.relay() != null ? result.relay() : relay;
            if (result.isSent()) {
                delivered.add(pending.get(i));
            } else if (failure == null || !result.retryable() && !permanent) {
                failure = result;
                failedRecipient = pending.get(i);
                permanent = !result.retryable();
            }
        }
        UncertainCause uncertain = claimed.uncertain() != null ? claimed.uncertain()
                : inDoubt > 0 ? UncertainCause.RELAY_CONNECTION_LOST : null;
        Instant now = clock.instant();
        if (failure == null) {
            return new Settlement(MessageStatus.SENT, delivered, relay, null, uncertain, null, now);
        }
        String reply = failedRecipient + ": " + failure.reason();
        if (permanent || claimed.attempts() >= tuning.maxAttempts()) {
            return new Settlement(MessageStatus.FAILED, delivered, relay, reply, uncertain, null, now);
        }
        return new Settlement(MessageStatus.QUEUED, delivered, relay, reply, uncertain,
                now.plus(tuning.backoffAfter(claimed.attempts())), now);
    }

    private List<SendResult> sendAll(StoredMessage claimed, List<String> recipients) throws InterruptedException {
        List<String> all = claimed.message().recipients();
        try (ExecutorService copies = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SendResult>> futures = new ArrayList<>(recipients.size());
            for (String recipient : recipients) {
                OutgoingMessage copy = copyFor(claimed, recipient, all.indexOf(recipient));
                futures.add(copies.submit(() -> send(copy)));
            }
            List<SendResult> results = new ArrayList<>(futures.size());
            for (Future<SendResult> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw new IllegalStateException("send() reports failures as results", e.getCause());
        }
    }

    private SendResult send(OutgoingMessage copy) throws InterruptedException {
        try {
            return sender.send(copy);
        } catch (SendWithheldException e) {
            // Not sent, certainly: queued again like a transient failure, for this node or another.
            return SendResult.failed(e.getMessage(), true, null);
        } catch (RuntimeException e) {
            return SendResult.failed("sender error: " + e, true, null);
        }
    }

    private static OutgoingMessage copyFor(StoredMessage claimed, String recipient, int index) {
        Message m = claimed.message();
        return new OutgoingMessage(StoredMessage.TRACKING_PREFIX + claimed.id(), SubscriberId.of(index), m.from(), m.replyTo(), recipient, null,
                m.subject(), m.text(), m.html(), m.headers());
    }
}
