package io.mailcast.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The instants a trigger fires at. Cron slots are computed in the trigger's zone, so they follow its DST changes. */
public sealed interface Slots permits CronSlots, Slots.OnceSlot {

    /** The first slot strictly after {@code after}, if any. */
    Optional<Instant> next(Instant after);

    static Slots of(Trigger trigger) {
        return switch (trigger) {
            case Trigger.Once once -> new OnceSlot(once.at());
            case Trigger.Cron cron -> CronSlots.parse(cron.expression(), cron.zone());
        };
    }

    /** Slots in {@code (after, through]}, oldest first, at most {@code limit}. */
    default List<Instant> between(Instant after, Instant through, int limit) {
        List<Instant> slots = new ArrayList<>();
        Optional<Instant> next = next(after);
        while (next.isPresent() && !next.get().isAfter(through) && slots.size() < limit) {
            slots.add(next.get());
            next = next(next.get());
        }
        return slots;
    }

    /** The next {@code count} slots after {@code after}. */
    default List<Instant> upcoming(Instant after, int count) {
        return between(after, Instant.MAX, count);
    }

    record OnceSlot(Instant at) implements Slots {
        @Override
        public Optional<Instant> next(Instant after) {
            return at.isAfter(after) ? Optional.of(at) : Optional.empty();
        }
    }
}
