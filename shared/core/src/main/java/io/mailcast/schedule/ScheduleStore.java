package io.mailcast.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where schedules are kept. */
public interface ScheduleStore {

    /** Stores a new schedule; false, changing nothing, when one with its id exists. */
    boolean insert(Schedule schedule);

    Optional<Schedule> find(String id);

    /**
     * Replaces the definition of an existing schedule (trigger, catch-up, campaign, window), keeping when it was created
     * and whether it is paused, so its firing history goes on; false, changing nothing, when there is none.
     */
    boolean replace(Schedule schedule);

    /** Every schedule, by id. */
    List<Schedule> all();

    /**
     * Pauses or resumes at {@code at}, recording the pause in the schedule (see {@link #pauses}); pausing a paused
     * schedule or resuming an active one changes nothing. False when there is no such schedule.
     */
    boolean setPaused(String id, boolean paused, Instant at);

    /** The schedule's pauses, oldest first; empty when there is no such schedule. */
    List<Pause> pauses(String id);

    /** False when there is no such schedule. Its firings and their campaigns stay. */
    boolean remove(String id);
}
