package io.mailcast.validation;

import io.mailcast.subscriber.Subscriber;

import java.util.List;

/**
 * A campaign's rule "confirmed or checked-valid": a recipient is mailed when one of the confirmation fields is true,
 * or when a fresh VALID verdict is cached for its address; the others are recorded UNVERIFIED and not sent.
 *
 * @param confirmedFields subscriber fields that mark a confirmed address, read at the document's top level
 *                        ({@code confirmed}, as seed 004 has it) or else in its attributes ({@code attributes.confirmed});
 *                        a field is true when it holds {@code true} or the number 1 (as imported from SQL)
 */
public record ValidationRequirement(List<String> confirmedFields) {

    public static final ValidationRequirement CONFIRMED_OR_VALID = new ValidationRequirement(List.of("confirmed"));

    public ValidationRequirement {
        confirmedFields = List.copyOf(confirmedFields);
        for (String f : confirmedFields) {
            if (f.isBlank() || f.startsWith("$") || f.contains(".")) {
                throw new IllegalArgumentException("a confirmation field must be an attribute name without '.' or a "
                        + "leading '$', got '" + f + "'");
            }
        }
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
