package io.mailcast.validation;

import java.time.LocalDate;

/** Paid calls and money spent per UTC day, counted once for the whole cluster. */
public interface DailyBudget {

    /** What one day has used. */
    record Spent(long calls, long micros) {
    }

    /**
     * Counts one call at {@code priceMicros} on {@code day} if it stays within both limits, atomically.
     *
     * @return false when the day's calls or money are spent; nothing is counted then
     */
    boolean trySpend(LocalDate day, long priceMicros, BudgetLimits limits);

    Spent spent(LocalDate day);
}
