package io.mailcast.schedule;

import io.mailcast.campaign.Campaign;
import io.mailcast.reminder.DateKind;
import io.mailcast.reminder.RelativeWindow;
import io.mailcast.testing.InMemorySchedules;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ScheduleFirerTest {

    private static final Instant CREATED = Instant.parse("2026-03-01T00:00:00Z");

    private final SettableClock clock = new SettableClock(CREATED);
    private final InMemorySchedules store = new InMemorySchedules();
    private final List<Campaign> submitted = new CopyOnWriteArrayList<>();
    private final ScheduleFirer firer = new ScheduleFirer(store, store, submitted::add, clock);

    static Schedule daily(String id, CatchUp catchUp, RelativeWindow window) {
        return new Schedule(id, new Trigger.Cron("0 9 * * *", ZoneId.of("Europe/Berlin")), catchUp, false,
                "{{daysLeft}} days left", "shop@example.com", null, "Expires {{expiresOn}}", null,
                "{\"attributes.confirmed\": true}", 500, window, CREATED);
    }

    @Test
    void aDueSlotFiresOnceAcrossPassesAndNothingBeforeItsTime() {
        store.insert(daily("d", CatchUp.ALL, null));
        clock.set(Instant.parse("2026-03-01T07:59:59Z"));
        firer.fireDue();
        assertThat(submitted).isEmpty();

        clock.set(Instant.parse("2026-03-01T08:00:01Z"));
        firer.fireDue();
        firer.fireDue();

        assertThat(submitted).extracting(Campaign::id).containsExactly("s-d-202603010800");
        assertThat(store.latest("d", 5)).singleElement().satisfies(f -> {
            assertThat(f.campaignId()).isEqualTo("s-d-202603010800");
            assertThat(f.lateBy()).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @Test
    void catchUpAllFiresEveryMissedSlotLateAndInOrder() {
        store.insert(daily("d", CatchUp.ALL, null));
        clock.set(Instant.parse("2026-03-04T12:00:00Z"));

        firer.fireDue();

        assertThat(submitted).extracting(Campaign::id).containsExactly("s-d-202603010800", "s-d-202603020800",
                "s-d-202603030800", "s-d-202603040800");
        assertThat(store.latest("d", 10)).allSatisfy(f -> assertThat(f.fired()).isTrue());
    }

    @Test
    void catchUpLatestFiresTheLatestAndRecordsTheOthersSkipped() {
        store.insert(daily("d", CatchUp.LATEST, null));
        clock.set(Instant.parse("2026-03-04T12:00:00Z"));

        firer.fireDue();

        assertThat(submitted).extracting(Campaign::id).containsExactly("s-d-202603040800");
        assertThat(store.latest("d", 10)).hasSize(4).filteredOn(f -> !f.fired()).hasSize(3)
                .allSatisfy(f -> assertThat(f.skipped()).contains("LATEST"));
    }

    @Test
    void catchUpSkipFiresOnlySlotsWithinTheGrace() {
        store.insert(daily("d", CatchUp.SKIP, null));
        clock.set(Instant.parse("2026-03-04T08:01:00Z"));

        firer.fireDue();

        assertThat(submitted).extracting(Campaign::id).containsExactly("s-d-202603040800");
        assertThat(store.latest("d", 10)).filteredOn(f -> !f.fired()).hasSize(3);
    }

    @Test
    void aScheduleAddedAgainUnderItsIdStartsFromItsCreationNotFromOldFirings() {
        store.insert(daily("d", CatchUp.ALL, null));
        clock.set(Instant.parse("2026-03-01T08:00:00Z"));
        firer.fireDue();
        store.remove("d");
        Instant readded = Instant.parse("2026-03-05T12:00:00Z");
        store.insert(new Schedule("d", new Trigger.Cron("0 9 * * *", ZoneId.of("Europe/Berlin")), CatchUp.ALL, false,
                "s", "shop@example.com", null, "t", null, "{}", 500, null, readded));
        clock.set(Instant.parse("2026-03-06T08:00:00Z"));

        firer.fireDue();

        assertThat(submitted).extracting(Campaign::id).containsExactly("s-d-202603010800", "s-d-202603060800");
    }

    @Test
    void aPausedScheduleDoesNotFire() {
        store.insert(daily("d", CatchUp.ALL, null).withPaused(true));
        clock.set(Instant.parse("2026-03-02T12:00:00Z"));

        firer.fireDue();

        assertThat(submitted).isEmpty();
    }

    @Test
    void slotsSkippedAfterAPauseNameThePauseAndOthersTheClusterBeingDown() {
        store.insert(daily("d", CatchUp.LATEST, null));
        clock.set(Instant.parse("2026-03-01T08:00:01Z"));
        firer.fireDue();
        store.setPaused("d", true, Instant.parse("2026-03-01T12:00:00Z"));
        store.setPaused("d", false, Instant.parse("2026-03-03T12:00:00Z"));
        // No supervisor ran from the resume to the 5th: the 4th is missed because the cluster was down.
        clock.set(Instant.parse("2026-03-05T08:00:01Z"));

        firer.fireDue();

        assertThat(store.lateOrSkipped("d", ScheduleFirer.GRACE, 10)).extracting(Firing::slot, Firing::skipped).containsExactly(
                tuple(Instant.parse("2026-03-04T08:00:00Z"),
                        "missed while no supervisor ran; catch-up LATEST fires only the latest slot"),
                tuple(Instant.parse("2026-03-03T08:00:00Z"), "schedule paused "
                        + "2026-03-01T12:00:00Z to 2026-03-03T12:00:00Z; catch-up LATEST fires only the latest slot"),
                tuple(Instant.parse("2026-03-02T08:00:00Z"), "schedule paused "
                        + "2026-03-01T12:00:00Z to 2026-03-03T12:00:00Z; catch-up LATEST fires only the latest slot"));
        assertThat(submitted).extracting(Campaign::id).containsExactly("s-d-202603010800", "s-d-202603050800");
    }

    @Test
    void aWindowCutsTheAudienceFromSlotToNextSlotPlusEachOffset() {
        var window = new RelativeWindow("attributes.validts", DateKind.EPOCH_SECONDS, List.of(3, 1), Locale.GERMANY,
                ZoneId.of("Europe/Berlin"));
        store.insert(daily("d", CatchUp.ALL, window));
        clock.set(Instant.parse("2026-03-01T08:00:00Z"));

        firer.fireDue();

        long slot = Instant.parse("2026-03-01T08:00:00Z").getEpochSecond();
        long day = 86_400;
        Campaign c = submitted.getFirst();
        assertThat(c.audience().filterJson()).isEqualTo("{\"$and\": [{\"attributes.confirmed\": true}, {\"$or\": ["
                + "{\"attributes.validts\": {\"$gte\": " + (slot + 3 * day) + ", \"$lt\": " + (slot + 4 * day) + "}}, "
                + "{\"attributes.validts\": {\"$gte\": " + (slot + day) + ", \"$lt\": " + (slot + 2 * day) + "}}]}]}");
        assertThat(c.reminder().slot()).isEqualTo(Instant.ofEpochSecond(slot));
        assertThat(c.reminder().nextSlot()).isEqualTo(Instant.ofEpochSecond(slot + day));
    }

    @Test
    void aSubmitRefusingTheDraftRecordsTheSlotSkippedWithTheReason() {
        var refusing = new ScheduleFirer(store, store, c -> {
            throw new IllegalArgumentException("MongoDB refuses the audience filter");
        }, clock);
        store.insert(daily("d", CatchUp.ALL, null));
        clock.set(Instant.parse("2026-03-01T08:00:00Z"));

        refusing.fireDue();

        assertThat(store.latest("d", 1)).singleElement().satisfies(f -> assertThat(f.skipped()).contains("refuses"));
    }
}
