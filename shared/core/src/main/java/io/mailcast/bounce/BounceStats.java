package io.mailcast.bounce;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counts of what the bounce listener took in, by verdict; for the node's metrics. */
public final class BounceStats {

    private final Map<InboundVerdict, LongAdder> counts = new EnumMap<>(InboundVerdict.class);

    public BounceStats() {
        for (InboundVerdict verdict : InboundVerdict.values()) {
            counts.put(verdict, new LongAdder());
        }
    }

    void count(InboundVerdict verdict) {
        counts.get(verdict).increment();
    }

    public long get(InboundVerdict verdict) {
        return counts.get(verdict).sum();
    }
}
