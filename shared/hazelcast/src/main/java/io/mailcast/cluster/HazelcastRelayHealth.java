package io.mailcast.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import io.mailcast.sender.relay.RelayCondition;
import io.mailcast.sender.relay.RelayHealth;
import io.mailcast.sender.relay.Throttling;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Relay health shared by the cluster in the IMap {@value #MAP} (relay name → {@link RelayCondition}, stored as a
 * Compact record so Management Center can show it).
 *
 * <p>Reads happen on every send, so they come from a local copy kept current by an entry listener: a relay marked down
 * by one node is skipped by the others as soon as the event arrives (milliseconds). Writes are entry processors that
 * carry "now" and the throttling settings, so they are atomic and give the same result when re-applied on a backup.
 */
public final class HazelcastRelayHealth implements RelayHealth {

    public static final String MAP = "relay-health";

    private final HazelcastInstance hazelcast;
    private final IMap<String, RelayCondition> map;
    private final Throttling throttling;
    private final ConcurrentMap<String, RelayCondition> local = new ConcurrentHashMap<>();
    private final UUID listener;

    private HazelcastRelayHealth(HazelcastInstance hazelcast, Throttling throttling) {
        this.hazelcast = hazelcast;
        this.map = hazelcast.getMap(MAP);
        this.throttling = Objects.requireNonNull(throttling, "throttling");
        this.listener = map.addEntryListener(new Mirror(), true);
        // Listen first, then copy: an event that arrives meanwhile is newer than the copy, so it wins.
        map.entrySet().forEach(e -> local.putIfAbsent(e.getKey(), e.getValue()));
    }

    /** Joins the shared health map of {@code hazelcast}'s cluster; {@link #close()} stops listening. */
    public static HazelcastRelayHealth start(HazelcastInstance hazelcast, Throttling throttling) {
        return new HazelcastRelayHealth(hazelcast, throttling);
    }

    /** The entry processor runs on the key's partition one at a time, so one caller in the cluster sees it up. */
    @Override
    public boolean markDown(String relay, Instant now, Instant until) {
        RelayCondition before = map.executeOnKey(relay, new MarkDown(until.toEpochMilli()));
        local.put(relay, before.markedDown(until.toEpochMilli()));
        return !before.isDownAt(now.toEpochMilli());
    }

    @Override
    public boolean isDown(String relay, Instant now) {
        return condition(relay).isDownAt(now.toEpochMilli());
    }

    @Override
    public double recordThrottle(String relay, Instant now) {
        long millis = now.toEpochMilli();
        RelayCondition next = map.executeOnKey(relay, new Throttle(millis, throttling.settle().toMillis(),
                throttling.quietPeriod().toMillis(), throttling.minFactor()));
        local.put(relay, next);
        return next.factorAt(millis, throttling);
    }

    @Override
    public double rateFactor(String relay, Instant now) {
        return condition(relay).factorAt(now.toEpochMilli(), throttling);
    }

    private RelayCondition condition(String relay) {
        return local.getOrDefault(relay, RelayCondition.HEALTHY);
    }

    /** Stops listening; nothing to do when the member has already left the cluster. */
    @Override
    public void close() {
        if (hazelcast.getLifecycleService().isRunning()) {
            map.removeEntryListener(listener);
        }
    }

    private final class Mirror implements EntryAddedListener<String, RelayCondition>,
            EntryUpdatedListener<String, RelayCondition>, EntryRemovedListener<String, RelayCondition>,
            EntryEvictedListener<String, RelayCondition>, EntryExpiredListener<String, RelayCondition>,
            MapClearedListener {

        @Override
        public void entryAdded(EntryEvent<String, RelayCondition> event) {
            local.put(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, RelayCondition> event) {
            local.put(event.getKey(), event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, RelayCondition> event) {
            local.remove(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, RelayCondition> event) {
            local.remove(event.getKey());
        }

        @Override
        public void entryExpired(EntryEvent<String, RelayCondition> event) {
            local.remove(event.getKey());
        }

        @Override
        public void mapCleared(MapEvent event) {
            local.clear();
        }
    }

    /** Base: applies a transition to the entry (healthy when absent) and returns what {@link #result} picks. */
    private abstract static class Transition
            implements EntryProcessor<String, RelayCondition, RelayCondition>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public RelayCondition process(Map.Entry<String, RelayCondition> entry) {
            RelayCondition current = entry.getValue() == null ? RelayCondition.HEALTHY : entry.getValue();
            RelayCondition next = next(current);
            if (!next.equals(entry.getValue())) {
                entry.setValue(next);
            }
            return result(current, next);
        }

        abstract RelayCondition next(RelayCondition current);

        /** The new condition by default. */
        RelayCondition result(RelayCondition before, RelayCondition after) {
            return after;
        }
    }

    static final class MarkDown extends Transition {
        @Serial
        private static final long serialVersionUID = 1L;
        private final long untilMillis;

        MarkDown(long untilMillis) {
            this.untilMillis = untilMillis;
        }

        @Override
        RelayCondition next(RelayCondition current) {
            return current.markedDown(untilMillis);
        }

        /** The condition before: whether the relay was up then tells the caller it started the outage. */
        @Override
        RelayCondition result(RelayCondition before, RelayCondition after) {
            return before;
        }
    }

    static final class Throttle extends Transition {
        @Serial
        private static final long serialVersionUID = 1L;
        private final long nowMillis;
        private final long settleMillis;
        private final long quietMillis;
        private final double minFactor;

        Throttle(long nowMillis, long settleMillis, long quietMillis, double minFactor) {
            this.nowMillis = nowMillis;
            this.settleMillis = settleMillis;
            this.quietMillis = quietMillis;
            this.minFactor = minFactor;
        }

        @Override
        RelayCondition next(RelayCondition current) {
            Throttling throttling = new Throttling(Duration.ofMillis(settleMillis), Duration.ofMillis(quietMillis), minFactor);
            return current.throttled(nowMillis, throttling);
        }
    }
}
