package io.mailcast.validation;

import io.mailcast.subscriber.Subscriber;

import java.time.Instant;
import java.util.List;

/**
 * A campaign's rule "confirmed or checked-valid": a recipient is mailed when one of the confirmation fields is true,
 * or when a fresh VALID verdict is cached for its address; the others are recorded UNVERIFIED and not sent. In
 * {@link Unverified#WAIT} mode a recipient without any fresh verdict is not recorded yet: its chunk waits for one until
 * {@code waitUntil}, and records it UNVERIFIED only then.
 *
 * @param confirmedFields subscriber fields that mark a confirmed address, read at the document's top level
 *                        ({@code confirmed}, as seed 004 has it) or else in its attributes ({@code attributes.confirmed});
 *                        a field is true when it holds {@code true} or the number 1 (as imported from SQL)
 * @param unverified      what happens to a recipient without a fresh verdict
 * @param waitUntil       in WAIT mode, when waiting ends (the send's deadline); {@code null} in SKIP mode
 */
public record ValidationRequirement(List<String> confirmedFields, Unverified unverified, Instant waitUntil) {

    /** What a campaign does with a recipient that needs a verdict and has none yet. */
    public enum Unverified {
        /** Record it UNVERIFIED at once. */
        SKIP,
        /** Wait for a verdict (ordered ahead, or being checked) until the deadline; then record it UNVERIFIED. */
        WAIT
    }

    public static final ValidationRequirement CONFIRMED_OR_VALID = new ValidationRequirement(List.of("confirmed"));

    /** Recipients without a verdict are recorded UNVERIFIED at once. */
    public ValidationRequirement(List<String> confirmedFields) {
        this(confirmedFields, Unverified.SKIP, null);
    }

    public ValidationRequirement {
        confirmedFields = List.copyOf(confirmedFields);
        if (unverified == null) {
            throw new IllegalArgumentException("what to do with unverified recipients is required (skip or wait)");
        }
        if ((unverified == Unverified.WAIT) != (waitUntil != null)) {
            throw new IllegalArgumentException("waiting for verdicts needs a deadline, and only waiting has one");
        }
        for (String f : confirmedFields) {
            if (f.isBlank() || f.startsWith("$") || f.contains(".")) {
                throw new IllegalArgumentException("a confirmation field must be an attribute name without '.' or a "
                        + "leading '$', got '" + f + "'");
            }
        }
    }

    /** Whether a recipient without a verdict still waits for one at {@code now}. */
    public boolean waits(Instant now) {
        return unverified == Unverified.WAIT && now.isBefore(waitUntil);
    }

    /** Whether the subscriber confirmed its address, so no paid check is needed. */
    public boolean confirmed(Subscriber s) {
        for (String f : confirmedFields) {
            Object v = s.fields().containsKey(f) ? s.fields().get(f) : s.attributes().get(f);
            if (Boolean.TRUE.equals(v) || v instanceof Number n && n.doubleValue() == 1) {
                return true;
            }
        }
        return false;
    }
}
