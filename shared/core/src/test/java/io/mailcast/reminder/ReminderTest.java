package io.mailcast.reminder;

import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReminderTest {

    private static final Instant SLOT = Instant.parse("2026-03-01T08:00:00Z");
    private static final RelativeWindow SECONDS = new RelativeWindow("attributes.validts", DateKind.EPOCH_SECONDS,
            List.of(3, 1), Locale.UK, ZoneId.of("Europe/London"));

    private static Subscriber with(Object validts) {
        return new Subscriber(7, "a@example.com", null, true, Map.of("validts", validts));
    }

    @Test
    void aDateInAWindowGetsItsOffsetAndTemplateValues() {
        var reminder = new Reminder("s", SLOT, SLOT.plus(Duration.ofDays(1)), SECONDS);
        long expiry = SLOT.plus(Duration.ofDays(3)).plus(Duration.ofHours(5)).getEpochSecond();

        assertThat(reminder.offsetFor(expiry * 1000)).hasValue(3);
        assertThat(reminder.values(with(expiry))).containsEntry("daysLeft", 3).containsEntry("expiresOn", "4 March 2026");
        assertThat(reminder.offsetFor(SLOT.plus(Duration.ofDays(2)).toEpochMilli())).isEmpty();
    }

    @Test
    void windowsEndBeforeTheNextSlotsWindowStarts() {
        var reminder = new Reminder("s", SLOT, SLOT.plus(Duration.ofDays(1)), SECONDS);

        assertThat(reminder.offsetFor(SLOT.plus(Duration.ofDays(4)).toEpochMilli() - 1)).hasValue(3);
        assertThat(reminder.offsetFor(SLOT.plus(Duration.ofDays(4)).toEpochMilli())).isEmpty();
    }

    @Test
    void noDateMeansNoReminder() {
        var reminder = new Reminder("s", SLOT, SLOT.plus(Duration.ofDays(1)), SECONDS);

        assertThat(reminder.dateMillis(with(0))).isEmpty();
        assertThat(reminder.dateMillis(with("soon"))).isEmpty();
        assertThat(reminder.values(with(0))).isEmpty();
    }

    @Test
    void aTopLevelFieldIsReadFromTheDocumentAsTheSeedStoresIt() {
        var topLevel = new RelativeWindow("validts", DateKind.EPOCH_SECONDS, List.of(3), Locale.UK, ZoneId.of("UTC"));
        var reminder = new Reminder("s", SLOT, SLOT.plus(Duration.ofDays(1)), topLevel);
        long expiry = SLOT.plus(Duration.ofDays(3)).getEpochSecond();
        var s = new Subscriber(SubscriberId.of(7), "a@example.com", null, true, Map.of(),
                Map.of("validts", expiry));

        assertThat(reminder.dateMillis(s)).hasValue(expiry * 1000);
        assertThat(reminder.dateMillis(with(expiry))).isEmpty();
    }

    @Test
    void bsonDatesAreReadAsDates() {
        var window = new RelativeWindow("attributes.expires", DateKind.DATE, List.of(1), Locale.GERMANY, ZoneId.of("Europe/Berlin"));
        var reminder = new Reminder("s", SLOT, SLOT.plus(Duration.ofDays(1)), window);
        Instant expiry = SLOT.plus(Duration.ofHours(30));
        var s = new Subscriber(7, "a@example.com", null, true, Map.of("expires", Date.from(expiry)));

        assertThat(reminder.dateMillis(s)).hasValue(expiry.toEpochMilli());
        assertThat(reminder.values(s)).containsEntry("daysLeft", 1).containsEntry("expiresOn", "2. März 2026");
    }

    /** London moves to summer time on 29 March 2026: 08:00 on the 29th is 07:00 UTC, 71 hours after 08:00 on the 26th. */
    @Test
    void daysAreCalendarDaysInTheWindowsZoneAcrossADstChange() {
        Instant slot25 = Instant.parse("2026-03-25T08:00:00Z");
        Instant slot26 = Instant.parse("2026-03-26T08:00:00Z");
        Instant slot27 = Instant.parse("2026-03-27T08:00:00Z");
        long expiry = Instant.parse("2026-03-29T07:30:00Z").toEpochMilli(); // 08:30 on the 29th, London time

        assertThat(new Reminder("s", slot26, slot27, SECONDS).offsetFor(expiry)).hasValue(3);
        assertThat(new Reminder("s", slot25, slot26, SECONDS).offsetFor(expiry)).isEmpty();
        assertThat(new Reminder("s", slot26, slot27, SECONDS).from(3)).isEqualTo(Instant.parse("2026-03-29T07:00:00Z"));
    }

    /**
     * Berlin has no 02:30 on 29 March 2026, so cron-utils goes from the 28th's slot to the 30th's: that slot's window
     * holds dates four calendar days away, and the mail says so rather than the offset's 3.
     */
    @Test
    void daysLeftCountsCalendarDaysWhenSpringForwardSkipsASlot() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        var window = new RelativeWindow("attributes.validts", DateKind.EPOCH_SECONDS, List.of(3, 1), Locale.UK, berlin);
        Instant slot28 = Instant.parse("2026-03-28T01:30:00Z"); // 02:30 CET
        Instant slot30 = Instant.parse("2026-03-30T00:30:00Z"); // 02:30 CEST
        var reminder = new Reminder("s", slot28, slot30, window);
        long onThe31st = Instant.parse("2026-03-31T10:00:00Z").getEpochSecond(); // 12:00 CEST, 3 calendar days on
        long onThe1st = Instant.parse("2026-04-01T10:00:00Z").getEpochSecond();  // 12:00 CEST, 4 calendar days on

        assertThat(reminder.values(with(onThe31st))).containsEntry("daysLeft", 3);
        assertThat(reminder.values(with(onThe1st))).containsEntry("daysLeft", 4).containsEntry("expiresOn", "1 April 2026");
        assertThat(reminder.offsetFor(onThe1st * 1000)).hasValue(3);
    }

    /**
     * New York falls back on 1 November 2026, so the day from the 31st's 22:00 slot to the 1st's is 25 hours; an expiry
     * at 00:30 on 4 November is 3 days 3.5 hours after the slot by the clock but 4 calendar days in New York.
     */
    @Test
    void daysLeftCountsCalendarDaysInTheZoneAcrossFallBack() {
        ZoneId newYork = ZoneId.of("America/New_York");
        var window = new RelativeWindow("attributes.validts", DateKind.EPOCH_SECONDS, List.of(3), Locale.US, newYork);
        Instant slot = Instant.parse("2026-11-01T02:00:00Z");     // 31 October 22:00 EDT
        Instant nextSlot = Instant.parse("2026-11-02T03:00:00Z"); // 1 November 22:00 EST
        var reminder = new Reminder("s", slot, nextSlot, window);
        long lateOnThe3rd = Instant.parse("2026-11-04T04:30:00Z").getEpochSecond(); // 3 November 23:30 EST
        long earlyOnThe4th = Instant.parse("2026-11-04T05:30:00Z").getEpochSecond(); // 4 November 00:30 EST

        assertThat(reminder.values(with(lateOnThe3rd))).containsEntry("daysLeft", 3);
        assertThat(reminder.values(with(earlyOnThe4th))).containsEntry("daysLeft", 4)
                .containsEntry("expiresOn", "November 4, 2026");
    }
}
