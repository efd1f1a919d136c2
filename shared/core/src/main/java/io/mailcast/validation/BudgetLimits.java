package io.mailcast.validation;

/**
 * The cluster's daily allowance for paid checks.
 *
 * @param callsPerDay  paid calls per UTC day
 * @param microsPerDay money per UTC day, in millionths of the currency unit
 */
public record BudgetLimits(long callsPerDay, long microsPerDay) {

    public static final BudgetLimits UNLIMITED = new BudgetLimits(Long.MAX_VALUE, Long.MAX_VALUE);

    public BudgetLimits {
        if (callsPerDay < 1) {
            throw new IllegalArgumentException("calls per day must be at least 1, got " + callsPerDay);
        }
        if (microsPerDay < 0) {
            throw new IllegalArgumentException("money per day must not be negative, got " + microsPerDay);
        }
    }

    /** Whether one call at this price fits at all; a day whose money cannot pay one call would wait forever. */
    public void requireAffords(long priceMicros) {
        if (priceMicros > microsPerDay) {
            throw new IllegalArgumentException("money per day (" + Money.format(microsPerDay)
                    + ") does not pay for one call at " + Money.format(priceMicros));
        }
    }
}
