package io.mailcast.schedule;

import io.mailcast.campaign.Campaign;
import io.mailcast.render.TemplateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Fires the due slots of every active schedule, run by the supervisor each pass. A slot's campaign id is derived from
 * schedule and slot and submitting is idempotent per id, so two supervisors, a restart or a healed partition never
 * send a slot twice; the firing record (unique per slot) only says where to go on from. Slots that came due while no
 * supervisor ran are fired or skipped per the schedule's {@link CatchUp}.
 */
public final class ScheduleFirer {

    /** A slot fired within this of its time is on time, whatever the catch-up policy. */
    public static final Duration GRACE = Duration.ofMinutes(5);
    /** ALL fires at most this many slots per pass (the next pass goes on); the others look at most this far. */
    static final int SLOTS_PER_PASS = 100;
    static final int SLOTS_SCANNED = 100_000;

    private static final String MISSED = "missed while no supervisor ran";

    private static final Logger log = LoggerFactory.getLogger(ScheduleFirer.class);

    private final ScheduleStore schedules;
    private final FiringStore firings;
    private final Consumer<Campaign> submitter;
    private final Clock clock;

    /** @param submitter submits a campaign draft idempotently per id; throws IllegalArgumentException on bad input */
    public ScheduleFirer(ScheduleStore schedules, FiringStore firings, Consumer<Campaign> submitter, Clock clock) {
        this.schedules = schedules;
        this.firings = firings;
        this.submitter = submitter;
        this.clock = clock;
    }

    /** One pass over all schedules; one schedule's trouble does not hold up the others. */
    public void fireDue() {
        for (Schedule s : schedules.all()) {
            if (s.paused()) {
                continue;
            }
            try {
                fireDue(s);
            } catch (RuntimeException e) {
                log.warn("schedule={} firing stopped, retried next pass: {}", s.id(), e.toString());
            }
        }
    }

    private void fireDue(Schedule s) {
        Instant now = clock.instant();
        Slots slots = Slots.of(s.trigger());
        // Never a slot from before the schedule was stored, even when an earlier schedule of that id left firings.
        Instant notBefore = s.createdAt().minusNanos(1);
        Instant after = firings.lastSlot(s.id()).filter(last -> last.isAfter(notBefore)).orElse(notBefore);
        List<Instant> due = slots.between(after, now, s.catchUp() == CatchUp.ALL ? SLOTS_PER_PASS : SLOTS_SCANNED);
        if (due.isEmpty()) {
            return;
        }
        Instant latest = due.getLast();
        // Skipped slots are recorded newest SLOTS_PER_PASS only: a cluster down for weeks must not write a record per minute.
        int skippedUnrecorded = Math.max(0, due.size() - 1 - SLOTS_PER_PASS);
        if (skippedUnrecorded > 0) {
            log.warn("schedule={} skipped {} slots missed while no supervisor ran, from {} (catch-up {}); the newest are "
                    + "recorded", s.id(), skippedUnrecorded, due.getFirst(), s.catchUp());
        }
        List<Pause> pauses = null;
        for (Instant slot : due.subList(skippedUnrecorded, due.size())) {
            Duration late = Duration.between(slot, now);
            String skip = skipReason(s.catchUp(), slot.equals(latest), late);
            if (skip != null) {
                pauses = pauses == null ? schedules.pauses(s.id()) : pauses;
                record(new Firing(s.id(), slot, null, now, late, pausedThen(pauses, slot).orElse(MISSED) + skip));
            } else {
                fire(s, slots, slot, now, late);
            }
        }
    }

    /** The end of a skip reason: what the catch-up policy did; null when the slot fires. */
    private static String skipReason(CatchUp catchUp, boolean latest, Duration late) {
        boolean onTime = late.compareTo(GRACE) <= 0;
        return switch (catchUp) {
            case ALL -> null;
            case LATEST -> latest ? null : "; catch-up LATEST fires only the latest slot";
            case SKIP -> onTime ? null : " (late by " + late.toSeconds() + " s); catch-up SKIP";
        };
    }

    /** Why a slot was missed: a recorded pause that covers it, else (empty) the cluster was down. */
    private static Optional<String> pausedThen(List<Pause> pauses, Instant slot) {
        return pauses.stream().filter(p -> p.covers(slot)).findFirst().map(p -> "schedule " + p);
    }

    private void fire(Schedule s, Slots slots, Instant slot, Instant now, Duration late) {
        Optional<Instant> next = slots.next(slot);
        if (s.window() != null && next.isEmpty()) {
            record(new Firing(s.id(), slot, null, now, late, "no next slot to end the relative window"));
            return;
        }
        Campaign draft = SlotCampaign.draft(s, slot, next.orElse(null), now);
        try {
            submitter.accept(draft);
        } catch (IllegalArgumentException | TemplateException e) {
            // Bad input (the templates or audience no longer pass): retrying cannot help, later slots may.
            record(new Firing(s.id(), slot, null, now, late, "not submitted: " + e.getMessage()));
            return;
        }
        if (firings.record(new Firing(s.id(), slot, draft.id(), now, late, null))) {
            log.info("schedule={} slot={} fired campaign={} late by {} ms", s.id(), slot, draft.id(), late.toMillis());
        }
    }

    private void record(Firing skipped) {
        if (firings.record(skipped)) {
            log.info("schedule={} slot={} skipped: {}", skipped.scheduleId(), skipped.slot(), skipped.skipped());
        }
    }
}
