package io.mailcast.schedule;

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

    /** False when there is no such schedule. */
    boolean setPaused(String id, boolean paused);

    /** False when there is no such schedule. Its firings and their campaigns stay. */
    boolean remove(String id);
}
