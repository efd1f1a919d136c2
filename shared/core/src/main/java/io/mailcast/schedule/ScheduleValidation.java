package io.mailcast.schedule;

import io.mailcast.validation.ValidationRequirement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A schedule's validation: every slot's campaign mails only confirmed or checked-valid recipients, and the cluster may
 * check the slot's audience ahead of it.
 *
 * @param confirmedFields subscriber fields marking a confirmed address, as for a campaign
 * @param unverified      what a slot's campaign does with a recipient without any verdict
 * @param waitAfterSlot   in WAIT mode, how long after its slot a campaign waits for verdicts; {@code null} in SKIP mode
 * @param daysAhead       order a validation job for each slot this many days before it; 0 orders none
 */
public record ScheduleValidation(List<String> confirmedFields, ValidationRequirement.Unverified unverified,
                                 Duration waitAfterSlot, int daysAhead) {

    public ScheduleValidation {
        confirmedFields = List.copyOf(confirmedFields);
        Objects.requireNonNull(unverified, "unverified");
        if ((unverified == ValidationRequirement.Unverified.WAIT) != (waitAfterSlot != null)) {
            throw new IllegalArgumentException("waiting for verdicts needs a wait after the slot, and only waiting has one");
        }
        if (waitAfterSlot != null && !waitAfterSlot.isPositive()) {
            throw new IllegalArgumentException("the wait for verdicts must be positive, got " + waitAfterSlot);
        }
        if (daysAhead < 0 || daysAhead > 365) {
            throw new IllegalArgumentException("days ahead must be between 0 and 365, got " + daysAhead);
        }
        // The fields are checked as a campaign's would be.
        new ValidationRequirement(confirmedFields);
    }

    /** The rule of the campaign {@code slot} submits. */
    public ValidationRequirement requirementFor(Instant slot) {
        return new ValidationRequirement(confirmedFields, unverified, waitAfterSlot == null ? null : slot.plus(waitAfterSlot));
    }

    public Duration ahead() {
        return Duration.ofDays(daysAhead);
    }
}
