package io.mailcast.testing;

import io.mailcast.schedule.Firing;
import io.mailcast.schedule.FiringStore;
import io.mailcast.schedule.Schedule;
import io.mailcast.schedule.ScheduleStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Schedules and firings in memory, with the unique (schedule, slot) the real store has. */
public final class InMemorySchedules implements ScheduleStore, FiringStore {

    private final Map<String, Schedule> schedules = new ConcurrentSkipListMap<>();
    private final Map<String, Firing> firings = new ConcurrentHashMap<>();

    @Override
    public boolean insert(Schedule schedule) {
        return schedules.putIfAbsent(schedule.id(), schedule) == null;
    }

    @Override
    public Optional<Schedule> find(String id) {
        return Optional.ofNullable(schedules.get(id));
    }

    @Override
    public List<Schedule> all() {
        return List.copyOf(schedules.values());
    }

    @Override
    public boolean replace(Schedule schedule) {
        return schedules.computeIfPresent(schedule.id(), (k, old) -> schedule.keeping(old)) != null;
    }

    @Override
    public boolean setPaused(String id, boolean paused) {
        return schedules.computeIfPresent(id, (k, s) -> s.withPaused(paused)) != null;
    }

    @Override
    public boolean remove(String id) {
        return schedules.remove(id) != null;
    }

    @Override
    public boolean record(Firing firing) {
        return firings.putIfAbsent(firing.scheduleId() + ":" + firing.slot(), firing) == null;
    }

    @Override
    public Optional<Instant> lastSlot(String scheduleId) {
        return firings.values().stream().filter(f -> f.scheduleId().equals(scheduleId)).map(Firing::slot)
                .max(Comparator.naturalOrder());
    }

    @Override
    public List<Firing> latest(String scheduleId, int limit) {
        List<Firing> all = new ArrayList<>(firings.values().stream().filter(f -> f.scheduleId().equals(scheduleId)).toList());
        all.sort(Comparator.comparing(Firing::slot).reversed());
        return all.subList(0, Math.min(limit, all.size()));
    }
}
