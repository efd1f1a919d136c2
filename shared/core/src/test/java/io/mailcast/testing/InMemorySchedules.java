package io.mailcast.testing;

import io.mailcast.schedule.Firing;
import io.mailcast.schedule.FiringStore;
import io.mailcast.schedule.Pause;
import io.mailcast.schedule.Schedule;
import io.mailcast.schedule.ScheduleStore;

import java.time.Duration;
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
    private final Map<String, List<Pause>> pauses = new ConcurrentHashMap<>();

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
    public synchronized boolean setPaused(String id, boolean paused, Instant at) {
        Schedule s = schedules.get(id);
        if (s == null) {
            return false;
        }
        if (s.paused() != paused) {
            List<Pause> list = pauses.computeIfAbsent(id, k -> new ArrayList<>());
            if (paused) {
                list.add(new Pause(at, null));
            } else if (!list.isEmpty()) {
                list.set(list.size() - 1, new Pause(list.getLast().from(), at));
            }
            schedules.put(id, s.withPaused(paused));
        }
        return true;
    }

    @Override
    public synchronized List<Pause> pauses(String id) {
        return List.copyOf(pauses.getOrDefault(id, List.of()));
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

    @Override
    public List<Firing> lateOrSkipped(String scheduleId, Duration lateOver, int limit) {
        return latest(scheduleId, Integer.MAX_VALUE).stream()
                .filter(f -> !f.fired() || f.lateBy().compareTo(lateOver) > 0).limit(limit).toList();
    }
}
