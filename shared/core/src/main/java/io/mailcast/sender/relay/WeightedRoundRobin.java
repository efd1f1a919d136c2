package io.mailcast.sender.relay;

import java.util.List;
import java.util.function.Predicate;

/**
 * nginx's smooth weighted round robin: with weights 3:1 the picks go a, a, b, a (not a, a, a, b), so no relay gets a
 * burst. Each pick adds every eligible relay's weight to its running score, takes the highest score and subtracts the
 * total weight from it. Ineligible relays (down, out of quota, already tried for this message) sit the round out.
 */
final class WeightedRoundRobin {

    private final String[] names;
    private final int[] weights;
    private final long[] scores;

    WeightedRoundRobin(List<RelayConfig> relays) {
        names = relays.stream().map(RelayConfig::name).toArray(String[]::new);
        weights = relays.stream().mapToInt(RelayConfig::weight).toArray();
        scores = new long[names.length];
    }

    /** The next relay among those {@code eligible} accepts, or {@code null} when it accepts none. */
    synchronized String pick(Predicate<String> eligible) {
        int best = -1;
        long total = 0;
        for (int i = 0; i < names.length; i++) {
            if (!eligible.test(names[i])) {
                continue;
            }
            scores[i] += weights[i];
            total += weights[i];
            if (best < 0 || scores[i] > scores[best]) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        scores[best] -= total;
        return names[best];
    }
}
