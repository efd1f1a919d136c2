package io.mailcast.engine;

import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ReservationPaceTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-03T10:00:00Z"));

    @Test
    void aBurstOnAFreshNodeStillReservesTheSmallestStep() {
        var pace = new ReservationPace(clock, 500, 2);
        for (int i = 0; i < 10; i++) {
            assertThat(pace.next()).as("reservation %d, all in the same millisecond", i).isEqualTo(ReservationPace.MIN_STEP);
        }
    }

    @Test
    void aSteadyNodeReservesAHundredMillisecondsOfItsRateSharedByItsChunks() {
        var pace = new ReservationPace(clock, 500, 2);
        int step = sendSteadily(pace, 2, Duration.ofSeconds(5));
        assertThat(step).as("100 ms at 2 a millisecond, over 2 chunk slots").isBetween(90, 110);
    }

    @Test
    void aNodeWaitingForQuotaKeepsTheSmallestStepAndNoStepPassesTheTuning() {
        var slow = new ReservationPace(clock, 120, 2);
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(2)); // a few sends a second
            assertThat(slow.next()).isEqualTo(ReservationPace.MIN_STEP);
        }
        var fast = new ReservationPace(clock, 120, 2);
        assertThat(sendSteadily(fast, 20, Duration.ofSeconds(3))).isEqualTo(120);
    }

    @Test
    void aNodeThatSlowsDownReservesLessWithinTwoWindows() {
        var pace = new ReservationPace(clock, 500, 1);
        sendSteadily(pace, 4, Duration.ofSeconds(3));
        assertThat(sendSteadily(pace, 0.2, Duration.ofSeconds(3))).isBetween(ReservationPace.MIN_STEP, 25);
    }

    @Test
    void aTuningStepBelowTheMinimumIsKept() {
        var pace = new ReservationPace(clock, 3, 2);
        assertThat(pace.next()).isEqualTo(3);
        clock.advance(Duration.ofMillis(1));
        assertThat(pace.next()).isEqualTo(3);
    }

    /** Hands over {@code perMilli} recipients a millisecond for {@code span}, reserving as it goes; the last step. */
    private int sendSteadily(ReservationPace pace, double perMilli, Duration span) {
        long until = clock.millis() + span.toMillis();
        int step = 0;
        while (clock.millis() < until) {
            step = pace.next();
            clock.advanceMillis(Math.max(1, Math.round(step / perMilli)));
        }
        return step;
    }
}
