package io.mailcast.delivery;

import io.mailcast.chunk.ChunkCounts;


/** Thread-safe outcome counters of one chunk job. */
final class Tally {

    private ChunkCounts counts;

    Tally(ChunkCounts start) {
        this.counts = start;
    }

    synchronized void add(Outcome outcome) {
        counts = counts.plus(outcome);
    }

    synchronized ChunkCounts snapshot() {
        return counts;
    }
}
