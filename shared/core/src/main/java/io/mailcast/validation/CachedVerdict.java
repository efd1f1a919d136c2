package io.mailcast.validation;

import java.time.Instant;
import java.util.Objects;

/**
 * A verdict as cached for one normalised address.
 *
 * @param validator name of the validator that decided it
 * @param expiresAt after this the address is checked again
 */
public record CachedVerdict(Verdict verdict, Instant checkedAt, String validator, Instant expiresAt) {

    public CachedVerdict {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
