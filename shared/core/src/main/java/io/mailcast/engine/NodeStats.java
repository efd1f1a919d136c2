package io.mailcast.engine;

import io.mailcast.delivery.Outcome;

import io.mailcast.stats.KeyedCounters;

import java.util.concurrent.atomic.LongAdder;

/** This node's running totals, for its metrics endpoint and logs. */
public final class NodeStats {

    public final LongAdder sent = new LongAdder();
    public final LongAdder failed = new LongAdder();
    public final LongAdder invalid = new LongAdder();
    public final LongAdder suppressed = new LongAdder();
    public final LongAdder skipped = new LongAdder();
    public final LongAdder unverified = new LongAdder();
    public final LongAdder retried = new LongAdder();
    public final LongAdder uncertain = new LongAdder();
    public final LongAdder chunksCompleted = new LongAdder();
    public final LongAdder chunksReleased = new LongAdder();
    public final LongAdder chunksLost = new LongAdder();
    public final LongAdder storeWriteFailures = new LongAdder();

    /** Reminders this node got accepted by a relay, per schedule id. */
    public final KeyedCounters<LongAdder> remindersSent = new KeyedCounters<>(LongAdder::new);

    void count(Outcome outcome) {
        switch (outcome) {
            case SENT, BOUNCED -> sent.increment(); // a send never ends BOUNCED; a later bounce does not count here
            case FAILED -> failed.increment();
            case INVALID -> invalid.increment();
            case SUPPRESSED -> suppressed.increment();
            case SKIPPED -> skipped.increment();
            case UNVERIFIED -> unverified.increment();
        }
    }
}
