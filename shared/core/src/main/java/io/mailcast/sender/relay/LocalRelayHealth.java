package io.mailcast.sender.relay;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Relay health seen by this process only: for a single node, and as the reference behaviour in tests. */
public final class LocalRelayHealth implements RelayHealth {

    private final Throttling throttling;
    private final ConcurrentMap<String, RelayCondition> conditions = new ConcurrentHashMap<>();

    public LocalRelayHealth(Throttling throttling) {
        this.throttling = Objects.requireNonNull(throttling, "throttling");
    }

    @Override
    public boolean markDown(String relay, Instant now, Instant until) {
        boolean[] wasUp = new boolean[1];
        conditions.compute(relay, (name, current) -> {
            RelayCondition before = current == null ? RelayCondition.HEALTHY : current;
            wasUp[0] = !before.isDownAt(now.toEpochMilli());
            return before.markedDown(until.toEpochMilli());
        });
        return wasUp[0];
    }

    @Override
    public boolean isDown(String relay, Instant now) {
        return condition(relay).isDownAt(now.toEpochMilli());
    }

    @Override
    public double recordThrottle(String relay, Instant now) {
        long millis = now.toEpochMilli();
        return conditions.compute(relay, (name, current) -> (current == null ? RelayCondition.HEALTHY : current)
                .throttled(millis, throttling)).factorAt(millis, throttling);
    }

    @Override
    public double rateFactor(String relay, Instant now) {
        return condition(relay).factorAt(now.toEpochMilli(), throttling);
    }

    private RelayCondition condition(String relay) {
        return conditions.getOrDefault(relay, RelayCondition.HEALTHY);
    }
}
