package io.mailcast.engine;

import io.mailcast.chunk.ChunkCounts;

import java.util.Locale;

/**
 * When a campaign pauses itself: more than {@code maxFailureRate} of at least {@code minSample} finished recipients
 * FAILED. A broken relay or template then stops early instead of burning through the list.
 */
public record FailurePolicy(double maxFailureRate, long minSample) {

    public static final FailurePolicy DEFAULT = new FailurePolicy(0.25, 200);

    public FailurePolicy {
        if (maxFailureRate <= 0 || maxFailureRate > 1) {
            throw new IllegalArgumentException("--max-failure-rate must be above 0 and at most 1, got " + maxFailureRate);
        }
        if (minSample < 1) {
            throw new IllegalArgumentException("failure sample must be at least 1, got " + minSample);
        }
    }

    /** The reason to pause, or {@code null} to go on. */
    String verdict(ChunkCounts counts) {
        long attempted = counts.sent() + counts.failed();
        if (attempted < minSample || (double) counts.failed() / attempted <= maxFailureRate) {
            return null;
        }
        return String.format(Locale.ROOT, "paused automatically: %.0f%% of %,d sends failed (limit %.0f%%); fix the relay, "
                + "then resume or retry-failed", 100.0 * counts.failed() / attempted, attempted, 100 * maxFailureRate);
    }
}
