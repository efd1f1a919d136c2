package io.mailcast.lab;

import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving end of the simulated days: counts each (subscriber, subject) it is handed and when each campaign's
 * last message arrived, after an optional simulated relay latency. It knows nothing of schedules or windows.
 */
final class ReminderInbox implements Sender {

    private final Duration latency;
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastNanos = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perCampaign = new ConcurrentHashMap<>();

    ReminderInbox(Duration latency) {
        this.latency = latency;
    }

    @Override
    public SendResult send(OutgoingMessage message) throws InterruptedException {
        if (!latency.isZero()) {
            Thread.sleep(latency);
        }
        received.computeIfAbsent(message.subscriberId().toString() + "|" + message.subject(), k -> new AtomicInteger())
                .incrementAndGet();
        perCampaign.computeIfAbsent(message.campaignId(), k -> new AtomicInteger()).incrementAndGet();
        lastNanos.computeIfAbsent(message.campaignId(), k -> new AtomicLong()).accumulateAndGet(System.nanoTime(), Math::max);
        return SendResult.sent("inbox");
    }

    @Override
    public String kind() {
        return "simulated";
    }

    /** Messages per {@code subscriberId|subject}. */
    Map<String, AtomicInteger> received() {
        return received;
    }

    int sent(String campaignId) {
        AtomicInteger n = perCampaign.get(campaignId);
        return n == null ? 0 : n.get();
    }

    /** {@link System#nanoTime()} of the campaign's last message, or {@code otherwise} when it had none. */
    long lastNanos(String campaignId, long otherwise) {
        AtomicLong t = lastNanos.get(campaignId);
        return t == null ? otherwise : t.get();
    }
}
