package io.mailcast.validation.job;

import io.mailcast.schedule.Firing;
import io.mailcast.schedule.Schedule;
import io.mailcast.schedule.ScheduleStore;
import io.mailcast.schedule.SlotCampaign;
import io.mailcast.schedule.Slots;
import io.mailcast.validation.ValidationRequirement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Orders, for every slot of a schedule validated ahead, a validation job of the audience that slot will mail (its
 * relative window computed for that slot), once the slot is within the schedule's days ahead. The job id is derived
 * from schedule and slot ({@code v-<schedule>-<slot>}) and ordering is idempotent per id, so two supervisors or a
 * restart never order a slot twice. Run by the supervising node each pass.
 */
public final class ValidationAhead {

    /** At most this many slots per schedule and pass; the next pass goes on. */
    static final int SLOTS_PER_PASS = 100;

    private static final Logger log = LoggerFactory.getLogger(ValidationAhead.class);

    private final ScheduleStore schedules;
    private final ValidationJobPlanner planner;
    private final Clock clock;
    /** The latest slot ordered per schedule (id and creation), sparing a store lookup per slot and pass. */
    private final Map<String, Instant> orderedThrough = new ConcurrentHashMap<>();

    public ValidationAhead(ScheduleStore schedules, ValidationJobPlanner planner, Clock clock) {
        this.schedules = schedules;
        this.planner = planner;
        this.clock = clock;
    }

    /** The validation job id of a schedule's slot. */
    public static String jobId(String scheduleId, Instant slot) {
        // The slot's campaign id with the validation prefix: both name the same slot the same way.
        return "v-" + Firing.campaignId(scheduleId, slot).substring("s-".length());
    }

    /** One pass over all schedules; one schedule's trouble does not hold up the others. */
    public void orderDue() {
        Instant now = clock.instant();
        for (Schedule s : schedules.all()) {
            if (s.paused() || s.validation() == null || s.validation().daysAhead() == 0) {
                continue;
            }
            try {
                orderDue(s, now);
            } catch (RuntimeException e) {
                log.warn("schedule={} validation ahead stopped, retried next pass: {}", s.id(), e.toString());
            }
        }
    }

    private void orderDue(Schedule s, Instant now) {
        String key = s.id() + "@" + s.createdAt();
        Slots slots = Slots.of(s.trigger());
        // Only slots still to come: a slot's campaign reads the cache when it runs, later checks are no use to it.
        Instant after = latest(now, s.createdAt(), orderedThrough.get(key));
        List<Instant> due = slots.between(after, now.plus(s.validation().ahead()), SLOTS_PER_PASS);
        var rule = new ValidationRequirement(s.validation().confirmedFields());
        for (Instant slot : due) {
            Optional<Instant> next = slots.next(slot);
            if (s.window() != null && next.isEmpty()) {
                continue; // the firer skips such a slot too
            }
            var audience = SlotCampaign.draft(s, slot, next.orElse(null), now).audience();
            ValidationJob job = planner.order(jobId(s.id(), slot), audience, rule, slot, s.chunkSize());
            log.debug("schedule={} slot={} validation job {} ({} chunks)", s.id(), slot, job.id(), job.chunks());
            orderedThrough.put(key, slot);
        }
    }

    private static Instant latest(Instant a, Instant b, Instant c) {
        Instant max = a.isAfter(b) ? a : b;
        return c != null && c.isAfter(max) ? c : max;
    }
}
