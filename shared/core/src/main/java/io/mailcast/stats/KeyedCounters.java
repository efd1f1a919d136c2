package io.mailcast.stats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Counters per key (an API key, a schedule) that come into being with the key's first event, announced once to a
 * listener so the node can register a meter for them. Thread-safe.
 */
public final class KeyedCounters<C> {

    private final Map<String, C> byKey = new ConcurrentHashMap<>();
    private final Supplier<C> factory;
    private volatile Consumer<String> newKeyListener = key -> { };

    public KeyedCounters(Supplier<C> factory) {
        this.factory = factory;
    }

    /** The counters of {@code key}, made (and announced) on its first use. */
    public C get(String key) {
        C counters = byKey.get(key);
        if (counters != null) {
            return counters;
        }
        boolean[] made = {false};
        counters = byKey.computeIfAbsent(key, k -> {
            made[0] = true;
            return factory.get();
        });
        if (made[0]) {
            newKeyListener.accept(key);
        }
        return counters;
    }

    /** Told of each key when it is first used. */
    public void onNewKey(Consumer<String> listener) {
        newKeyListener = listener;
    }
}
