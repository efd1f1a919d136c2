package io.mailcast.sender.relay;

import io.mailcast.sender.SendResult;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.mailcast.sender.relay.RateLimiter.Slot.NO_QUOTA;
import static io.mailcast.sender.relay.RateLimiter.Slot.TAKEN;
import static io.mailcast.sender.relay.RateLimiter.Slot.TOO_LATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Local rate limits and quotas, all on a test clock: waits move the clock instead of sleeping. */
class RelayRateLimiterTest {

    private static final RelayEndpoint SIM = new RelayEndpoint.Simulated(Duration.ZERO, 0);

    private final SettableClock clock = new SettableClock(Instant.parse("2025-01-01T10:59:59Z"));

    @Test
    void sendsAreSpacedOneIntervalApartWithoutBursts() throws Exception {
        RelaySet relays = RelaySet.of(RelayConfig.of("r", SIM).withRate(4));
        var limiter = new LocalRateLimiter(relays, clock, clock::advance);
        Instant start = clock.instant();
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire("r", 1.0, start.plusSeconds(10))).isEqualTo(TAKEN);
        }
        assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofMillis(1_000));
        // Idle for a minute does not save up a burst.
        clock.advance(Duration.ofMinutes(1));
        Instant now = clock.instant();
        assertThat(limiter.acquire("r", 1.0, now)).isEqualTo(TAKEN);
        assertThat(limiter.acquire("r", 1.0, now.plusMillis(249))).as("slot is 250 ms away").isEqualTo(TOO_LATE);
        assertThat(clock.instant()).as("nothing waited for a slot past the deadline").isEqualTo(now);
    }

    @Test
    void threeNodesWithAThirdEachStayWithinTheLimitInEverySecond() throws Exception {
        double limit = 30;
        RelaySet relays = RelaySet.of(RelayConfig.of("r", SIM));
        List<LocalRateLimiter> nodes = List.of(new LocalRateLimiter(relays, clock), new LocalRateLimiter(relays, clock),
                new LocalRateLimiter(relays, clock));
        nodes.forEach(node -> node.setRate("r", limit / nodes.size()));
        int[] perSecond = new int[10];
        Instant start = clock.instant();
        for (int ms = 0; ms < 10_000; ms++) {
            for (LocalRateLimiter node : nodes) {
                // Every node tries as often as it can: deadline "now" takes only slots that are free.
                while (node.acquire("r", 1.0, clock.instant()) == TAKEN) {
                    perSecond[ms / 1_000]++;
                }
            }
            clock.set(start.plusMillis(ms + 1));
        }
        for (int count : perSecond) {
            assertThat(count).isLessThanOrEqualTo((int) limit).isGreaterThanOrEqualTo((int) limit - nodes.size());
        }
    }

    @Test
    void hourlyQuotaIsEnforcedAndResetsWithTheNextHour() throws Exception {
        RelaySet relays = RelaySet.of(RelayConfig.of("r", SIM).withQuotas(3, 0));
        var limiter = new LocalRateLimiter(relays, clock, clock::advance);
        Instant now = clock.instant();
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("r", 1.0, now)).isEqualTo(TAKEN);
        }
        // The ledger is asked when the units run out, so the first send past the quota is the one that learns it.
        assertThat(limiter.acquire("r", 1.0, now)).isEqualTo(NO_QUOTA);
        assertThat(limiter.hasQuota("r", now)).isFalse();
        assertThat(limiter.quotaRenewsAt("r", now)).isEqualTo(Instant.parse("2025-01-01T11:00:00Z"));
        clock.advance(Duration.ofSeconds(1)); // 11:00:00, a new hour
        assertThat(limiter.hasQuota("r", clock.instant())).isTrue();
        assertThat(limiter.acquire("r", 1.0, clock.instant())).isEqualTo(TAKEN);
    }

    @Test
    void dailyQuotaCountsAcrossHours() throws Exception {
        RelaySet relays = RelaySet.of(RelayConfig.of("r", SIM).withQuotas(0, 2));
        var limiter = new LocalRateLimiter(relays, clock, clock::advance);
        assertThat(limiter.acquire("r", 1.0, clock.instant())).isEqualTo(TAKEN);
        clock.advance(Duration.ofHours(1));
        assertThat(limiter.acquire("r", 1.0, clock.instant())).isEqualTo(TAKEN);
        clock.advance(Duration.ofHours(1));
        assertThat(limiter.acquire("r", 1.0, clock.instant())).isEqualTo(NO_QUOTA);
        assertThat(limiter.hasQuota("r", clock.instant())).isFalse();
        clock.advance(Duration.ofDays(1));
        assertThat(limiter.hasQuota("r", clock.instant())).isTrue();
    }

    @Test
    void routerMovesToTheNextRelayWhenTheQuotaIsUsedUp() throws Exception {
        RelaySet relays = RelaySet.of(RelayConfig.of("small", SIM).withWeight(10).withQuotas(2, 0), RelayConfig.of("big", SIM));
        var limiter = new LocalRateLimiter(relays, clock, clock::advance);
        try (var router = new RelayRouter(relays, r -> ScriptedSender.accepting(r.name()),
                new LocalRelayHealth(Throttling.defaults()), limiter, clock)) {
            Map<String, Integer> byRelay = new TreeMap<>();
            for (long id = 1; id <= 10; id++) {
                SendResult result = router.send(ScriptedSender.message(id));
                byRelay.merge(result.relay(), 1, Integer::sum);
            }
            assertThat(byRelay).containsExactly(Map.entry("big", 8), Map.entry("small", 2));
        }
    }

    @Test
    void rejectsUnknownRelaysAndBadRates() {
        var limiter = new LocalRateLimiter(RelaySet.of(RelayConfig.of("r", SIM)), clock);
        assertThatThrownBy(() -> limiter.setRate("nope", 1)).hasMessage("no relay named 'nope'; known: [r]");
        assertThatThrownBy(() -> limiter.setRate("r", -1)).hasMessageContaining("got -1.0");
        assertThatThrownBy(() -> RelayConfig.of("r", SIM).withRate(0.001)).hasMessageContaining("between 0.01");
    }
}
