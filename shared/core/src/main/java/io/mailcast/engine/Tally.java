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
            // A bounce arrives after the send, never from one; counted like the send it was.
            case SENT, BOUNCED -> c.plus(new ChunkCounts(1, 0, 0, 0, 0, 0));
            case FAILED -> c.plus(new ChunkCounts(0, 1, 0, 0, 0, 0));
            case INVALID -> c.plus(new ChunkCounts(0, 0, 1, 0, 0, 0));
            case SUPPRESSED -> c.plus(new ChunkCounts(0, 0, 0, 1, 0, 0));
            case SKIPPED -> c.plus(new ChunkCounts(0, 0, 0, 0, 1, 0));
            case UNVERIFIED -> c.plus(new ChunkCounts(0, 0, 0, 0, 0, 0, 1));
        };
    }
}
