package io.mailcast.validation;

import io.mailcast.testing.SettableClock;
import io.mailcast.time.Sleeper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SimulatedValidatorTest extends ValidatorContract {

    private final SettableClock clock = new SettableClock();
    private final Sleeper advancing = clock::advance;

    @Override
    protected Validator working() {
        return new SimulatedValidator(SimulatedValidatorConfig.DEFAULTS.withRates(0.2, 0.1, 0), advancing);
    }

    @Override
    protected Validator failing() {
        return new SimulatedValidator(SimulatedValidatorConfig.DEFAULTS.withRates(0.2, 0.1, 0.999_999), advancing);
    }

    @Test
    void verdictsFollowTheRatesAndLatenciesStayInTheRange() throws Exception {
        var config = SimulatedValidatorConfig.DEFAULTS.withRates(0.2, 0.1, 0);
        var validator = new SimulatedValidator(config, advancing);
        Map<Verdict, Integer> mix = new EnumMap<>(Verdict.class);
        Duration longest = Duration.ZERO;
        Duration shortest = Duration.ofDays(1);
        for (int i = 0; i < 10_000; i++) {
            Instant before = clock.instant();
            mix.merge(validator.check("user" + i + "@example.com"), 1, Integer::sum);
            Duration took = Duration.between(before, clock.instant());
            longest = took.compareTo(longest) > 0 ? took : longest;
            shortest = took.compareTo(shortest) < 0 ? took : shortest;
        }
        assertThat(mix.get(Verdict.INVALID) / 10_000.0).isCloseTo(0.2, within(0.02));
        assertThat(mix.get(Verdict.UNKNOWN) / 10_000.0).isCloseTo(0.1, within(0.02));
        assertThat(shortest).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(longest).isLessThanOrEqualTo(Duration.ofSeconds(60)).isGreaterThan(Duration.ofSeconds(55));
        assertThat(validator.calls()).isEqualTo(10_000);
    }

    @Test
    void anotherSeedGivesOtherVerdicts() throws Exception {
        var a = new SimulatedValidator(SimulatedValidatorConfig.DEFAULTS.withRates(0.5, 0, 0), advancing);
        var b = new SimulatedValidator(SimulatedValidatorConfig.DEFAULTS.withRates(0.5, 0, 0).withSeed(99), advancing);
        int differ = 0;
        for (int i = 0; i < 200; i++) {
            differ += a.check("u" + i + "@example.com") == b.check("u" + i + "@example.com") ? 0 : 1;
        }
        assertThat(differ).isBetween(50, 150);
    }

    @Test
    void errorsAreDrawnPerCallSoARetryCanPass() throws Exception {
        var validator = new SimulatedValidator(SimulatedValidatorConfig.DEFAULTS.withRates(0, 0, 0.5), advancing);
        int errors = 0;
        for (int i = 0; i < 200; i++) {
            try {
                validator.check("same@example.com");
            } catch (ValidatorException e) {
                errors++;
            }
        }
        assertThat(errors).isBetween(60, 140);
    }

    @Test
    void badSettingsAreRefusedWithTheRule() {
        var d = SimulatedValidatorConfig.DEFAULTS;
        assertThatThrownBy(() -> d.withRates(0.8, 0.3, 0)).hasMessageContaining("at most 1");
        assertThatThrownBy(() -> d.withRates(0, 0, 1)).hasMessageContaining("below 1");
        assertThatThrownBy(() -> d.withLatency(Duration.ofSeconds(5), Duration.ofSeconds(1))).hasMessageContaining("min <= max");
        assertThatThrownBy(() -> new BudgetLimits(10, 100).requireAffords(101)).hasMessageContaining("does not pay");
        assertThatThrownBy(() -> Money.parseMicros("price", "0.0000001")).hasMessageContaining("six decimals");
        assertThat(Money.parseMicros("price", "0.004")).isEqualTo(4_000);
        assertThat(Money.format(4_000)).isEqualTo("0.004");
    }
}
