package io.mailcast.schedule;

/** What happens to slots that came due while no supervisor ran (the cluster was down). */
public enum CatchUp {
    /** Fire the latest missed slot once; the earlier ones are recorded skipped. */
    LATEST,
    /** Fire every missed slot, oldest first. */
    ALL,
    /** Fire none of them; only slots on time (within the grace) are fired. */
    SKIP
}
