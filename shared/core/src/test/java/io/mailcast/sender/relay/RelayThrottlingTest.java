package io.mailcast.sender.relay;

import io.mailcast.sender.SendResult;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.mailcast.sender.relay.RateLimiter.Slot.TAKEN;
import static io.mailcast.sender.relay.RateLimiter.Slot.TOO_LATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** 4xx throttling replies halve a relay's rate; quiet periods double it back. */
class RelayThrottlingTest {

    private static final RelayEndpoint SIM = new RelayEndpoint.Simulated(Duration.ZERO, 0);
    private static final Throttling THROTTLING = new Throttling(Duration.ofSeconds(5), Duration.ofSeconds(60), 1.0 / 8);

    private final SettableClock clock = new SettableClock();
    private final LocalRelayHealth health = new LocalRelayHealth(THROTTLING);

    @Test
    void throttlingHalvesOncePerSettleTimeAndRampsBackUpPerQuietPeriod() {
        Instant start = clock.instant();
        assertThat(health.rateFactor("r", start)).isEqualTo(1.0);

        assertThat(health.recordThrottle("r", start)).isEqualTo(0.5);
        assertThat(health.recordThrottle("r", start.plusSeconds(1))).as("echo of the same overload").isEqualTo(0.5);
        assertThat(health.recordThrottle("r", start.plusSeconds(5))).isEqualTo(0.25);
        assertThat(health.recordThrottle("r", start.plusSeconds(10))).isEqualTo(0.125);
        assertThat(health.recordThrottle("r", start.plusSeconds(15))).as("floor").isEqualTo(0.125);

        Instant last = start.plusSeconds(15);
        assertThat(health.rateFactor("r", last.plusSeconds(59))).isEqualTo(0.125);
        assertThat(health.rateFactor("r", last.plusSeconds(60))).isEqualTo(0.25);
        assertThat(health.rateFactor("r", last.plusSeconds(120))).isEqualTo(0.5);
        assertThat(health.rateFactor("r", last.plusSeconds(180))).isEqualTo(1.0);
        assertThat(health.rateFactor("r", last.plus(Duration.ofDays(3650)))).isEqualTo(1.0);
        assertThat(health.rateFactor("other", last)).isEqualTo(1.0);
    }

    @Test
    void aThrottlingReplySlowsTheRelayAndTheMessageGoesToTheNextRelay() throws Exception {
        var busy = new ScriptedSender(m -> SendResult.failed("451 4.7.1 rate exceeded, slow down", true, "busy"));
        var calm = ScriptedSender.accepting("calm");
        RelaySet relays = new RelaySet(List.of(RelayConfig.of("busy", SIM).withWeight(2).withRate(10),
                RelayConfig.of("calm", SIM)), RoutingPolicy.defaults().withThrottling(THROTTLING));
        LocalRateLimiter limiter = new LocalRateLimiter(relays, clock, clock::advance);
        try (var router = new RelayRouter(relays, r -> r.name().equals("busy") ? busy : calm, health, limiter, clock)) {
            assertThat(router.send(ScriptedSender.message(1))).isEqualTo(SendResult.sent("calm"));
            assertThat(busy.calls()).hasSize(1);
            assertThat(health.isDown("busy", clock.instant())).as("throttling is not a failure").isFalse();
            assertThat(health.rateFactor("busy", clock.instant())).isEqualTo(0.5);

            // At half of 10/s the next slot on "busy" is 200 ms after the first instead of 100 ms.
            Instant before = clock.instant();
            assertThat(limiter.acquire("busy", health.rateFactor("busy", before), before.plusSeconds(1))).isEqualTo(TAKEN);
            assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void anUnlimitedRelayIsSlowedRelativeToTheRateItJustReached() throws Exception {
        RelaySet relays = RelaySet.of(RelayConfig.of("free", SIM));
        LocalRateLimiter limiter = new LocalRateLimiter(relays, clock, clock::advance);
        Instant second = clock.instant();
        for (int i = 0; i < 40; i++) {
            assertThat(limiter.acquire("free", 1.0, second)).isEqualTo(TAKEN);
        }
        // Throttled at 50%: 40/s becomes 20/s, one send every 50 ms.
        clock.set(second.plusSeconds(1));
        Instant now = clock.instant();
        assertThat(limiter.acquire("free", 0.5, now)).isEqualTo(TAKEN);
        assertThat(limiter.acquire("free", 0.5, now)).isEqualTo(TOO_LATE);
        assertThat(limiter.acquire("free", 0.5, now.plusSeconds(1))).isEqualTo(TAKEN);
        assertThat(Duration.between(now, clock.instant())).isEqualTo(Duration.ofMillis(50));
        // Throttling over: no limit again.
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.acquire("free", 1.0, clock.instant())).isEqualTo(TAKEN);
        }
    }

    @Test
    void conditionFactorsStayInRange() {
        RelayCondition down = RelayCondition.HEALTHY.markedDown(1_000).markedDown(500);
        assertThat(down.downUntilMillis()).isEqualTo(1_000);
        assertThat(down.isDownAt(999)).isTrue();
        assertThat(down.isDownAt(1_000)).isFalse();
        RelayCondition throttled = down.throttled(2_000, THROTTLING);
        assertThat(throttled.factor()).isCloseTo(0.5, within(1e-9));
        assertThat(throttled.downUntilMillis()).isEqualTo(1_000);
        assertThat(Map.of("f", throttled.factorAt(1_000, THROTTLING))).containsEntry("f", 0.5);
    }
}
