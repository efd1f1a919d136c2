package io.mailcast.quota;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The ledger of one process, in memory: for a node running alone (the benchmark baseline) and for tests. Forgets
 * everything when the process ends.
 */
public final class LocalQuotaLedger implements QuotaLedger {

    /** How many windows of a kind back are kept; older ones are dropped as new ones start (as the TTL does in MongoDB). */
    private static final int KEPT_WINDOWS = 3;

    private record Key(String relay, QuotaWindow window) {
    }

    private final ConcurrentMap<Key, QuotaUse> uses = new ConcurrentHashMap<>();

    @Override
    public long take(String relay, QuotaWindow window, long cap, long wanted) {
        QuotaLedger.check(relay, window, cap, wanted);
        long[] granted = new long[1];
        QuotaUse after = uses.compute(new Key(relay, window), (key, before) -> {
            long used = before == null ? 0 : before.used();
            granted[0] = Math.max(0, Math.min(wanted, cap - used));
            return new QuotaUse(relay, window, used + granted[0], cap);
        });
        if (after.used() == granted[0]) {
            forgetOldWindows(window);
        }
        return granted[0];
    }

    @Override
    public void giveBack(String relay, QuotaWindow window, long units) {
        QuotaLedger.check(relay, window, 1, units);
        uses.computeIfPresent(new Key(relay, window), (key, before) ->
                new QuotaUse(relay, window, Math.max(0, before.used() - units), before.cap()));
    }

    @Override
    public long used(String relay, QuotaWindow window) {
        QuotaUse use = uses.get(new Key(relay, window));
        return use == null ? 0 : use.used();
    }

    @Override
    public List<QuotaUse> uses(QuotaWindow window) {
        return uses.values().stream().filter(u -> u.window().equals(window))
                .sorted(Comparator.comparing(QuotaUse::relay)).toList();
    }

    /** Called when a window's first units are taken: a process that runs for months keeps a few windows, not all. */
    private void forgetOldWindows(QuotaWindow newest) {
        Instant oldestKept = newest.start().minus(newest.kind().length().multipliedBy(KEPT_WINDOWS));
        uses.keySet().removeIf(key -> key.window().kind() == newest.kind() && key.window().start().isBefore(oldestKept));
    }
}
