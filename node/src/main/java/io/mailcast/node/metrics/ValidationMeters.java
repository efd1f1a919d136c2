package io.mailcast.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mailcast.validation.BudgetLimits;
import io.mailcast.validation.DailyBudget;
import io.mailcast.validation.ValidationFigures;
import io.mailcast.validation.Verdict;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * A validating node's figures: its own paid calls, cache hits, errors, money and verdict mix (counters), what it has in
 * flight, and the cluster's budget today (read from MongoDB at most every 5 s, whatever the scrape rate).
 */
public final class ValidationMeters {

    private static final Duration BUDGET_READ_EVERY = Duration.ofSeconds(5);

    private ValidationMeters() {
    }

    public static void register(MeterRegistry registry, ValidationFigures f, IntSupplier inFlight,
                                IntSupplier activeChunks, DailyBudget budget, BudgetLimits limits, Clock clock) {
        EngineMeters.counter(registry, "mailcast.validation.calls", "Paid address checks this node made (errors included)",
                f.paidCalls);
        EngineMeters.counter(registry, "mailcast.validation.cache.hits", "Addresses answered from the verdict cache: "
                + "nothing paid", f.cacheHits);
        EngineMeters.counter(registry, "mailcast.validation.errors", "Paid checks that brought no verdict (timeout, 5xx, "
                + "garbage); retried, never cached", f.errors);
        EngineMeters.counter(registry, "mailcast.validation.gave.up", "Addresses left unchecked after the last retry",
                f.gaveUp);
        EngineMeters.counter(registry, "mailcast.validation.budget.waits", "Times a check waited because the day's "
                + "budget was spent", f.budgetWaits);
        FunctionCounter.builder("mailcast.validation.money.spent", f.moneyMicros, m -> m.sum() / 1e6)
                .description("Money this node paid for checks, in currency units").register(registry);
        for (Verdict v : Verdict.values()) {
            FunctionCounter.builder("mailcast.validation.verdicts", f, figures -> figures.verdicts(v))
                    .description("Verdicts this node paid for, by kind").tag("verdict", v.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        EngineMeters.gauge(registry, "mailcast.validation.in.flight", "Paid checks in flight on this node now", inFlight);
        EngineMeters.gauge(registry, "mailcast.validation.chunks.active", "Validation chunks this node works on now",
                activeChunks);
        var today = new TodaysBudget(budget, clock);
        budgetGauge(registry, "mailcast.validation.calls.today", "Paid checks the cluster made today (UTC)", today,
                s -> s.calls());
        budgetGauge(registry, "mailcast.validation.money.today", "Money the cluster spent on checks today (UTC), in "
                + "currency units", today, s -> s.micros() / 1e6);
        if (limits.callsPerDay() != Long.MAX_VALUE) {
            budgetGauge(registry, "mailcast.validation.budget.calls.left", "Paid checks left in today's budget", today,
                    s -> Math.max(0, limits.callsPerDay() - s.calls()));
        }
        if (limits.microsPerDay() != Long.MAX_VALUE) {
            budgetGauge(registry, "mailcast.validation.budget.money.left", "Money left in today's budget, in currency "
                    + "units", today, s -> Math.max(0, limits.microsPerDay() - s.micros()) / 1e6);
        }
    }

    /** The validation jobs' backlog, exported by the supervising node (0 elsewhere: take the max over nodes). */
    public static void registerBacklog(MeterRegistry registry, LongSupplier backlog, IntSupplier openJobs) {
        Gauge.builder("mailcast.validation.backlog.subscribers", backlog::getAsLong)
                .description("Subscribers in open validation jobs' chunks not done yet (on the supervising node)")
                .strongReference(true).register(registry);
        EngineMeters.gauge(registry, "mailcast.validation.jobs.open", "Validation jobs not finished (on the "
                + "supervising node)", openJobs);
    }

    private static void budgetGauge(MeterRegistry registry, String name, String description, TodaysBudget today,
                                    ToDoubleFunction<DailyBudget.Spent> value) {
        Gauge.builder(name, () -> value.applyAsDouble(today.read())).description(description).strongReference(true)
                .register(registry);
    }

    /** Today's spending, re-read from the store when older than {@link #BUDGET_READ_EVERY}. */
    private static final class TodaysBudget {
        private final DailyBudget budget;
        private final Clock clock;
        private DailyBudget.Spent last = new DailyBudget.Spent(0, 0);
        private long readAt = -1;

        TodaysBudget(DailyBudget budget, Clock clock) {
            this.budget = budget;
            this.clock = clock;
        }

        synchronized DailyBudget.Spent read() {
            long now = clock.millis();
            if (readAt < 0 || now - readAt >= BUDGET_READ_EVERY.toMillis()) {
                try {
                    last = budget.spent(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
                } catch (RuntimeException e) {
                    return last; // MongoDB away: the last figures, read again next scrape
                }
                readAt = now;
            }
            return last;
        }
    }
}
