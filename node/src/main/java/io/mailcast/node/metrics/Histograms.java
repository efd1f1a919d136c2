package io.mailcast.node.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Timers of one name that differ by one or two tags, with fixed buckets: fixed so that every node exports the same
 * {@code le} values and a dashboard can add them up across the cluster.
 */
final class Histograms {

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final Duration[] buckets;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    Histograms(MeterRegistry registry, String name, String description, Duration... buckets) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.buckets = buckets.clone();
    }

    void record(Duration took, String... tags) {
        timers.computeIfAbsent(String.join("\u0000", tags), key -> Timer.builder(name).description(description)
                .tags(tags).serviceLevelObjectives(buckets).register(registry)).record(took);
    }

    static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return durations;
    }
}
