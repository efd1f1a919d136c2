package io.mailcast.engine;

import io.mailcast.subscriber.Subscriber;
import io.mailcast.validation.CachedVerdict;
import io.mailcast.validation.ValidationRequirement;
import io.mailcast.validation.Verdict;
import io.mailcast.validation.VerdictLookup;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UnverifiedRecipientsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");

    private static Subscriber s(long id, String email, Map<String, Object> attributes) {
        return new Subscriber(id, email, null, true, attributes);
    }

    private static CachedVerdict verdict(Verdict v) {
        return new CachedVerdict(v, NOW.minusSeconds(60), "simulated", NOW.plusSeconds(60));
    }

    @Test
    void oneLookupForTheUnconfirmedOnlyAndValidOnesPass() {
        List<Set<String>> lookups = new ArrayList<>();
        VerdictLookup cache = (addresses, now) -> {
            lookups.add(addresses);
            return Map.of("v@example.com", verdict(Verdict.VALID), "i@example.com", verdict(Verdict.INVALID));
        };
        List<Subscriber> all = List.of(s(1, "c@example.com", Map.of("confirmed", true)), s(2, "v@EXAMPLE.com", Map.of()),
                s(3, "i@example.com", Map.of()), s(4, "n@example.com", Map.of("confirmed", 0)), s(5, "broken", Map.of()));

        var split = UnverifiedRecipients.split(ValidationRequirement.CONFIRMED_OR_VALID, all, cache, NOW);

        assertThat(lookups).containsExactly(Set.of("v@example.com", "i@example.com", "n@example.com"));
        assertThat(split.toSend()).extracting(Subscriber::email).containsExactly("c@example.com", "v@EXAMPLE.com", "broken");
        assertThat(split.refused()).extracting(r -> r.subscriber().email()).containsExactly("i@example.com", "n@example.com");
        assertThat(split.refused().getFirst().reason()).contains("INVALID by simulated");
    }

    @Test
    void withoutTheRuleNothingIsLookedUp() {
        VerdictLookup failing = (a, n) -> {
            throw new AssertionError("no lookup expected");
        };
        var all = List.of(s(1, "a@example.com", Map.of()));
        assertThat(UnverifiedRecipients.split(null, all, failing, NOW).toSend()).isEqualTo(all);
        assertThat(UnverifiedRecipients.split(ValidationRequirement.CONFIRMED_OR_VALID,
                List.of(s(1, "a@example.com", Map.of("confirmed", true))), failing, NOW).refused()).isEmpty();
    }
}
