package io.mailcast.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/** When a schedule fires: once, or on every slot of a cron expression read in a time zone. */
public sealed interface Trigger {

    record Once(Instant at) implements Trigger {
        public Once {
            Objects.requireNonNull(at, "at");
        }
    }

    /** @param expression five-field Unix cron, checked by {@link CronSlots#parse} */
    record Cron(String expression, ZoneId zone) implements Trigger {
        public Cron {
            Objects.requireNonNull(expression, "expression");
            Objects.requireNonNull(zone, "zone");
        }
    }
}
