package io.mailcast.node;

import io.mailcast.quota.QuotaWindow;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.mailcast.sender.relay.RelayEndpoint;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A relay that accepts every message and counts what it was really given, per quota window of the clock its router
 * runs on: the truth a quota must hold against, whatever the deliveries collection managed to record.
 */
final class CountingEndpoint implements RelayEndpoint {

    private final Map<QuotaWindow, LongAdder> byWindow = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    @Override
    public Sender create(String relayName, Clock clock) {
        return new Sender() {
            @Override
            public SendResult send(OutgoingMessage message) {
                for (QuotaWindow.Kind kind : QuotaWindow.Kind.values()) {
                    byWindow.computeIfAbsent(QuotaWindow.current(kind, clock), w -> new LongAdder()).increment();
                }
                total.increment();
                return SendResult.sent(relayName);
            }

            @Override
            public String kind() {
                return "counting";
            }
        };
    }

    @Override
    public String describe() {
        return "counting";
    }

    long sentIn(QuotaWindow window) {
        LongAdder sent = byWindow.get(window);
        return sent == null ? 0 : sent.sum();
    }

    long total() {
        return total.sum();
    }
}
