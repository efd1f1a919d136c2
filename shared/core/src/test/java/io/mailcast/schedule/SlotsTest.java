package io.mailcast.schedule;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlotsTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void dailySlotsKeepTheirLocalTimeAcrossTheSpringAndAutumnChanges() {
        Slots daily = Slots.of(new Trigger.Cron("0 9 * * *", BERLIN));

        // Berlin moves to summer time on 2026-03-29: 09:00 local is 08:00Z before and 07:00Z after.
        assertThat(daily.upcoming(Instant.parse("2026-03-27T12:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-03-28T08:00:00Z"), Instant.parse("2026-03-29T07:00:00Z"),
                Instant.parse("2026-03-30T07:00:00Z"));
        // And back on 2026-10-25.
        assertThat(daily.upcoming(Instant.parse("2026-10-23T12:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-10-24T07:00:00Z"), Instant.parse("2026-10-25T08:00:00Z"),
                Instant.parse("2026-10-26T08:00:00Z"));
    }

    @Test
    void aSlotInTheSkippedHourIsLeftOutAndTheRepeatedHourFiresOnce() {
        // 02:30 does not exist on 2026-03-29 in Berlin (cron-utils leaves that day out; a relative window then runs
        // from the slot before to the slot after, so no date is lost); it exists twice on 2026-10-25.
        Slots at0230 = Slots.of(new Trigger.Cron("30 2 * * *", BERLIN));

        var spring = at0230.between(Instant.parse("2026-03-27T12:00:00Z"), Instant.parse("2026-03-30T12:00:00Z"), 10);
        var autumn = at0230.between(Instant.parse("2026-10-24T12:00:00Z"), Instant.parse("2026-10-26T12:00:00Z"), 10);

        assertThat(spring).containsExactly(Instant.parse("2026-03-28T01:30:00Z"), Instant.parse("2026-03-30T00:30:00Z"));
        assertThat(autumn).hasSize(2).doesNotHaveDuplicates().endsWith(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void betweenIsExclusiveOfTheStartAndInclusiveOfTheEnd() {
        Slots hourly = Slots.of(new Trigger.Cron("0 * * * *", ZoneId.of("UTC")));

        assertThat(hourly.between(Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("2026-01-01T12:00:00Z"), 10))
                .containsExactly(Instant.parse("2026-01-01T11:00:00Z"), Instant.parse("2026-01-01T12:00:00Z"));
        assertThat(hourly.between(Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("2026-01-02T10:00:00Z"), 5)).hasSize(5);
    }

    @Test
    void aOneShotFiresOnce() {
        Instant at = Instant.parse("2026-05-01T10:00:00Z");
        Slots once = Slots.of(new Trigger.Once(at));

        assertThat(once.next(at.minusSeconds(1))).contains(at);
        assertThat(once.next(at)).isEmpty();
    }

    @Test
    void aBadExpressionIsRefusedWithTheRule() {
        assertThatThrownBy(() -> CronSlots.parse("61 * * * *", BERLIN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("five-field cron");
        assertThatThrownBy(() -> CronSlots.parse("* * * *", BERLIN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firingsOfASlotShareOneCampaignId() {
        Instant slot = Instant.parse("2026-03-29T07:00:00Z");
        assertThat(Firing.campaignId("expiry", slot)).isEqualTo("s-expiry-202603290700");
        assertThat(Firing.campaignId("expiry", slot.plusSeconds(5))).isNotEqualTo(Firing.campaignId("expiry", slot));
    }
}
