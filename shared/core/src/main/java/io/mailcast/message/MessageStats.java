package io.mailcast.message;

import io.mailcast.stats.KeyedCounters;

import java.util.concurrent.atomic.LongAdder;

/** This node's send-API totals, in all and per API key, for its metrics endpoint. */
public final class MessageStats {

    /** Messages this node stored (idempotent replays not counted). */
    public final LongAdder accepted = new LongAdder();
    /** Messages this node's dispatcher finished as SENT. */
    public final LongAdder sent = new LongAdder();
    /** Messages this node's dispatcher finished as FAILED. */
    public final LongAdder failed = new LongAdder();
    /** Attempts that ended in a transient failure and were queued again. */
    public final LongAdder retried = new LongAdder();
    /** Messages taken over from a node that died, or whose relay connection was lost after the data went out. */
    public final LongAdder uncertain = new LongAdder();

    /** The figures per API key id. */
    public final KeyedCounters<KeyCounts> byKey = new KeyedCounters<>(KeyCounts::new);

    /** One API key's figures on this node. */
    public static final class KeyCounts {
        public final LongAdder accepted = new LongAdder();
        public final LongAdder sent = new LongAdder();
        public final LongAdder failed = new LongAdder();
    }
}
