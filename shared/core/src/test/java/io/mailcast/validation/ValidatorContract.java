package io.mailcast.validation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every validator promises; each implementation's test extends this. */
public abstract class ValidatorContract {

    /** A validator in working order. */
    protected abstract Validator working();

    /** A validator whose service fails (an outage, a 5xx). */
    protected abstract Validator failing();

    @Test
    void aWorkingValidatorGivesAVerdict() throws Exception {
        assertThat(working().check("ann@example.com")).isNotNull();
    }

    @Test
    void theSameAddressGetsTheSameVerdict() throws Exception {
        Validator v = working();
        for (String a : new String[] {"ann@example.com", "bob@example.org", "x.y+z@mail.example"}) {
            assertThat(v.check(a)).isEqualTo(v.check(a));
        }
    }

    @Test
    void itNamesItselfAndItsPrice() {
        assertThat(working().name()).isNotBlank();
        assertThat(working().priceMicros()).isNotNegative();
    }

    @Test
    void aFailureIsARetryableErrorNeverAVerdict() {
        assertThatThrownBy(() -> failing().check("ann@example.com")).isInstanceOf(ValidatorException.class);
    }
}
