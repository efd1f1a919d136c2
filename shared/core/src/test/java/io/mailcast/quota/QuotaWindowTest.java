package io.mailcast.quota;

import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Windows follow the UTC calendar, whatever the zone of the clock. */
class QuotaWindowTest {

    @Test
    void anHourIsTheUtcClockHourAndEndsOnTheNextOne() {
        var clock = new SettableClock(Instant.parse("2026-12-02T16:59:59.999Z"));
        QuotaWindow hour = QuotaWindow.current(QuotaWindow.Kind.HOUR, clock);
        assertThat(hour.key()).isEqualTo("2026-12-02T16");
        assertThat(hour.start()).isEqualTo(Instant.parse("2026-12-02T16:00:00Z"));
        assertThat(hour.endsAt()).isEqualTo(Instant.parse("2026-12-02T17:00:00Z"));
        assertThat(hour.contains(clock.instant())).isTrue();

        clock.advanceMillis(1);
        QuotaWindow next = QuotaWindow.current(QuotaWindow.Kind.HOUR, clock);
        assertThat(next.key()).isEqualTo("2026-12-02T17");
        assertThat(next).isNotEqualTo(hour);
        assertThat(hour.contains(clock.instant())).isFalse();
    }

    @Test
    void aDayIsTheUtcDayEvenOnAClockInAnotherZone() {
        var clock = new SettableClock(Instant.parse("2026-12-31T23:30:00Z"))
                .withZone(java.time.ZoneId.of("Pacific/Auckland")); // already 2027-01-01 there
        QuotaWindow day = QuotaWindow.current(QuotaWindow.Kind.DAY, clock);
        assertThat(day.key()).isEqualTo("2026-12-31");
        assertThat(day.endsAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(QuotaWindow.containing(QuotaWindow.Kind.HOUR, day.start()).key()).isEqualTo("2026-12-31T00");
        assertThat(day.toString()).isEqualTo("day 2026-12-31");
    }

    @Test
    void hourAndDayKeysNeverCollide() {
        Instant midnight = Instant.parse("2026-12-02T00:00:00Z");
        assertThat(QuotaWindow.containing(QuotaWindow.Kind.HOUR, midnight).key())
                .isNotEqualTo(QuotaWindow.containing(QuotaWindow.Kind.DAY, midnight).key());
    }

    @Test
    void aWindowMustStartOnItsBoundary() {
        assertThatThrownBy(() -> new QuotaWindow(QuotaWindow.Kind.HOUR, Instant.parse("2026-12-02T16:30:00Z")))
                .hasMessage("a quota hour must start when a UTC hour begins, got 2026-12-02T16:30:00Z");
        assertThatThrownBy(() -> new QuotaWindow(QuotaWindow.Kind.DAY, Instant.parse("2026-12-02T16:00:00Z")))
                .hasMessageContaining("a quota day must start when a UTC day begins");
    }
}
