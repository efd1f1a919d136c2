package io.mailcast.validation;

import java.time.Duration;

/**
 * How paid checks are made and kept, checked once.
 *
 * @param validLifetime   how long a VALID or UNKNOWN verdict is trusted
 * @param invalidLifetime how long an INVALID verdict is trusted; mailboxes rarely come back, so it may be longer
 * @param lease           how long a claim on an address lasts without renewal: longer than the slowest call plus a
 *                        back-off, or a second holder would pay for the same address
 * @param maxAttempts     calls per address before giving up for now (the address stays unchecked, not cached)
 * @param retryBackoff    wait after the first error, doubled after each further one
 * @param poll            wait before asking again about an address another holder is checking, or a spent budget
 * @param limits          the cluster's daily allowance
 */
public record ValidationPolicy(Duration validLifetime, Duration invalidLifetime, Duration lease, int maxAttempts,
                               Duration retryBackoff, Duration poll, BudgetLimits limits) {

    public static final ValidationPolicy DEFAULTS = new ValidationPolicy(Duration.ofDays(30), Duration.ofDays(180),
            Duration.ofMinutes(5), 4, Duration.ofSeconds(5), Duration.ofSeconds(5), BudgetLimits.UNLIMITED);

    public ValidationPolicy {
        positive("valid lifetime", validLifetime);
        positive("invalid lifetime", invalidLifetime);
        positive("lease", lease);
        positive("retry back-off", retryBackoff);
        positive("poll interval", poll);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, got " + maxAttempts);
        }
        if (limits == null) {
            throw new IllegalArgumentException("budget limits are required");
        }
        Duration longestBackoff = retryBackoff.multipliedBy(1L << Math.min(maxAttempts - 1, 20));
        if (lease.compareTo(longestBackoff) <= 0) {
            throw new IllegalArgumentException("lease (" + lease + ") must be longer than the longest back-off ("
                    + longestBackoff + "), or the claim runs out between two attempts");
        }
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }

    /** How long this verdict is trusted. */
    public Duration lifetime(Verdict verdict) {
        return verdict == Verdict.INVALID ? invalidLifetime : validLifetime;
    }

    public ValidationPolicy withLimits(BudgetLimits newLimits) {
        return new ValidationPolicy(validLifetime, invalidLifetime, lease, maxAttempts, retryBackoff, poll, newLimits);
    }

    public ValidationPolicy withLease(Duration newLease) {
        return new ValidationPolicy(validLifetime, invalidLifetime, newLease, maxAttempts, retryBackoff, poll, limits);
    }

    public ValidationPolicy withRetries(int attempts, Duration backoff) {
        return new ValidationPolicy(validLifetime, invalidLifetime, lease, attempts, backoff, poll, limits);
    }
}
