package io.mailcast.engine;

import io.mailcast.chunk.ChunkCounts;
import io.mailcast.delivery.Outcome;

/** Thread-safe outcome counters of one chunk job. */
final class Tally {

    private ChunkCounts counts;

    Tally(ChunkCounts start) {
        this.counts = start;
    }

    synchronized void add(Outcome outcome) {
        counts = plus(counts, outcome);
    }

    synchronized void addUncertain(long sends) {
        counts = counts.plusUncertain(sends);
    }

    synchronized ChunkCounts snapshot() {
        return counts;
    }

    static ChunkCounts plus(ChunkCounts c, Outcome outcome) {
        return switch (outcome) {
            case SENT -> new ChunkCounts(c.sent() + 1, c.failed(), c.invalid(), c.suppressed(), c.uncertain());
            case FAILED -> new ChunkCounts(c.sent(), c.failed() + 1, c.invalid(), c.suppressed(), c.uncertain());
            case INVALID -> new ChunkCounts(c.sent(), c.failed(), c.invalid() + 1, c.suppressed(), c.uncertain());
            case SUPPRESSED -> new ChunkCounts(c.sent(), c.failed(), c.invalid(), c.suppressed() + 1, c.uncertain());
        };
    }
}
