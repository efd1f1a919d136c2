package io.mailcast.engine;

import io.mailcast.reminder.DateKind;
import io.mailcast.reminder.LocalReminderClaims;
import io.mailcast.reminder.RelativeWindow;
import io.mailcast.reminder.Reminder;
import io.mailcast.subscriber.Subscriber;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RemindedBeforeTest {

    private static final Instant DAY0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final RelativeWindow THREE_AND_ONE = new RelativeWindow("attributes.validts", DateKind.EPOCH_SECONDS,
            List.of(3, 1), Locale.UK, ZoneOffset.UTC);

    private final LocalReminderClaims claims = new LocalReminderClaims();

    private static Subscriber expiring(long id, Instant expiry) {
        return new Subscriber(id, id + "@example.com", null, true, Map.of("validts", expiry.getEpochSecond()));
    }

    private static Reminder slot(Instant slot, Duration toNext, RelativeWindow window) {
        return new Reminder("expiry", slot, slot.plus(toNext), window);
    }

    /** What a chunk of the slot's campaign would send: the audience query's window, then the claims. */
    private List<Subscriber> send(Reminder reminder, List<Subscriber> all) {
        List<Subscriber> inWindow = all.stream().filter(s -> reminder.offsetFor(reminder.dateMillis(s).orElseThrow()).isPresent())
                .toList();
        String campaign = "s-expiry-" + reminder.slot().getEpochSecond();
        return RemindedBefore.split(campaign, reminder, inWindow, claims).toSend();
    }

    @Test
    void overTwoWeeksOfDailySlotsEachExpiryGetsOneThreeDayAndOneOneDayReminderEvenWhenSlotsReFire() {
        List<Subscriber> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(expiring(i, DAY0.plus(Duration.ofMinutes(37L * i + 11))));
        }
        Map<String, Integer> sent = new HashMap<>();
        for (int day = 0; day < 14; day++) {
            Reminder r = slot(DAY0.plus(Duration.ofDays(day)), Duration.ofDays(1), THREE_AND_ONE);
            for (int pass = 0; pass < 2; pass++) {
                // A second pass stands for a re-fired slot under another campaign id (a changed cron, say).
                Reminder again = pass == 0 ? r : new Reminder("expiry", r.slot().plusSeconds(60), r.nextSlot(), THREE_AND_ONE);
                for (Subscriber s : send(again, all)) {
                    int offset = again.offsetFor(again.dateMillis(s).orElseThrow()).orElseThrow();
                    sent.merge(s.id().key() + "/" + offset, 1, Integer::sum);
                }
            }
        }
        // Every expiry at least 3 (1) days after the first slot falls in a 3-day (1-day) window: one reminder each, never two.
        assertThat(sent.values()).containsOnly(1);
        assertThat(sent.keySet().stream().filter(k -> k.endsWith("/3")).count()).isEqualTo(expiringFrom(all, 3));
        assertThat(sent.keySet().stream().filter(k -> k.endsWith("/1")).count()).isEqualTo(expiringFrom(all, 1));
    }

    private static long expiringFrom(List<Subscriber> all, int days) {
        Instant from = DAY0.plus(Duration.ofDays(days));
        return all.stream().filter(s -> !Instant.ofEpochSecond((Long) s.attributes().get("validts")).isBefore(from)).count();
    }

    @Test
    void aWiderOverlappingWindowFindsTheReminderAlreadySentAndSaysByWhom() {
        Subscriber ann = expiring(1, DAY0.plus(Duration.ofDays(3)).plus(Duration.ofHours(2)));
        send(slot(DAY0, Duration.ofDays(1), THREE_AND_ONE), List.of(ann));

        Reminder wider = slot(DAY0.minus(Duration.ofHours(6)), Duration.ofDays(2), THREE_AND_ONE);
        RemindedBefore.Split split = RemindedBefore.split("other", wider, List.of(ann), claims);

        assertThat(split.toSend()).isEmpty();
        assertThat(split.skipped()).singleElement().satisfies(skip ->
                assertThat(skip.reason()).contains("already reminded").contains("s-expiry-" + DAY0.getEpochSecond()));
    }

    @Test
    void aRenewedSubscriptionGetsItsOwnRemindersAndARerunOfTheSameCampaignSendsAgain() {
        Reminder r = slot(DAY0, Duration.ofDays(1), THREE_AND_ONE);
        Subscriber before = expiring(1, DAY0.plus(Duration.ofDays(3)).plus(Duration.ofHours(1)));
        Subscriber renewed = expiring(1, DAY0.plus(Duration.ofDays(3)).plus(Duration.ofHours(9)));

        assertThat(RemindedBefore.split("c1", r, List.of(before), claims).toSend()).hasSize(1);
        assertThat(RemindedBefore.split("c1", r, List.of(before), claims).toSend()).hasSize(1);
        assertThat(RemindedBefore.split("c2", r, List.of(renewed), claims).toSend()).hasSize(1);
        assertThat(RemindedBefore.split("c3", r, List.of(before), claims).toSend()).isEmpty();
    }
}
