package io.mailcast.validation;

import java.time.LocalDate;

/** Paid calls and money spent per UTC day, counted once for the whole cluster. */
public interface DailyBudget {

    /**
     * What one day has used.
     *
     * @param refused whether a call was refused that day because a limit was reached: checks wait for the next day
     */
    record Spent(long calls, long micros, boolean refused) {

        public Spent(long calls, long micros) {
            this(calls, micros, false);
        }
    }

    /**
     * Counts one call at {@code priceMicros} on {@code day} if it stays within both limits, atomically.
     *
     * @return false when the day's calls or money are spent; nothing is counted then, and the day is marked refused
     */
    boolean trySpend(LocalDate day, long priceMicros, BudgetLimits limits);

    Spent spent(LocalDate day);
}
