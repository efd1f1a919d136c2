package io.mailcast.sender;

import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two lanes onto one sender, so that a password reset does not wait behind a million newsletters: while any urgent
 * send (the send API's) is under way, campaign sends wait before they enter the sender. Campaign sends already inside
 * it (queued for a relay slot or an SMTP connection, at most the node's campaign concurrency) still go first, so
 * an urgent message waits for those at worst, never for the rest of the campaign.
 */
public final class PrioritySender {

    private final Sender sender;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition noUrgent = lock.newCondition();
    private int urgentInFlight;

    /** @param sender the node's sender; its owner closes it, not the lanes */
    public PrioritySender(Sender sender) {
        this.sender = sender;
    }

    /** For the send API's messages: never waits for campaign traffic. */
    public Sender urgentLane() {
        return new Lane() {
            @Override
            public SendResult send(OutgoingMessage message, HandOver handOver) throws InterruptedException {
                lock.lock();
                try {
                    urgentInFlight++;
                } finally {
                    lock.unlock();
                }
                try {
                    return sender.send(message, handOver);
                } finally {
                    lock.lock();
                    try {
                        if (--urgentInFlight == 0) {
                            noUrgent.signalAll();
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            }
        };
    }

    /** For campaigns: waits while urgent sends are under way. */
    public Sender campaignLane() {
        return new Lane() {
            @Override
            public SendResult send(OutgoingMessage message, HandOver handOver) throws InterruptedException {
                lock.lock();
                try {
                    while (urgentInFlight > 0) {
                        noUrgent.await();
                    }
                } finally {
                    lock.unlock();
                }
                return sender.send(message, handOver);
            }
        };
    }

    /** Both lanes report the shared sender's relays. */
    private abstract class Lane implements Sender {
        @Override
        public final SendResult send(OutgoingMessage message) throws InterruptedException {
            return send(message, HandOver.NONE);
        }

        @Override
        public abstract SendResult send(OutgoingMessage message, HandOver handOver) throws InterruptedException;

        @Override
        public String kind() {
            return sender.kind();
        }

        @Override
        public List<RelayFigures> relayFigures() {
            return sender.relayFigures();
        }
    }
}
