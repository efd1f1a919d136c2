package io.mailcast.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The record of fired and skipped slots, one per (schedule, slot). */
public interface FiringStore {

    /** Records a firing; false, changing nothing, when its slot was recorded before (by another supervisor). */
    boolean record(Firing firing);

    /** The latest slot recorded for the schedule. */
    Optional<Instant> lastSlot(String scheduleId);

    /** The latest firings, newest first. */
    List<Firing> latest(String scheduleId, int limit);

    /** The latest slots skipped or fired later than {@code lateOver}, newest first. */
    List<Firing> lateOrSkipped(String scheduleId, Duration lateOver, int limit);
}
