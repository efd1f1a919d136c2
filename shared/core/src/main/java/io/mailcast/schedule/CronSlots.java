package io.mailcast.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** Slots of a five-field Unix cron expression in a time zone, computed by cron-utils. */
public final class CronSlots implements Slots {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final ExecutionTime execution;
    private final ZoneId zone;

    private CronSlots(ExecutionTime execution, ZoneId zone) {
        this.execution = execution;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException naming the problem when the expression is not five-field Unix cron */
    public static CronSlots parse(String expression, ZoneId zone) {
        try {
            var cron = UNIX.parse(expression.strip());
            cron.validate();
            return new CronSlots(ExecutionTime.forCron(cron), zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + expression + "' is not a five-field cron expression (minute hour "
                    + "day-of-month month day-of-week, e.g. '0 9 * * *'): " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Instant> next(Instant after) {
        return execution.nextExecution(after.atZone(zone)).map(t -> t.toInstant());
    }
}
