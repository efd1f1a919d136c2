package io.mailcast.validation;

import java.time.Duration;

/**
 * A simulated validator's behaviour, checked once.
 *
 * @param minLatency   shortest call
 * @param maxLatency   longest call; each address gets its own latency in between
 * @param invalidRate  share of addresses judged INVALID, 0 to 1
 * @param unknownRate  share judged UNKNOWN, 0 to 1; with {@code invalidRate} at most 1
 * @param errorRate    share of calls that fail with a retryable error, 0 to 1 (below 1: a retry must be able to pass)
 * @param priceMicros  price per call in millionths of the currency unit
 * @param seed         verdicts and latencies are a function of the address and this seed
 */
public record SimulatedValidatorConfig(Duration minLatency, Duration maxLatency, double invalidRate, double unknownRate,
                                       double errorRate, long priceMicros, long seed) {

    public static final SimulatedValidatorConfig DEFAULTS = new SimulatedValidatorConfig(Duration.ofSeconds(1),
            Duration.ofSeconds(60), 0.05, 0.01, 0.01, 4_000, 4);

    public SimulatedValidatorConfig {
        if (minLatency == null || maxLatency == null || minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
            throw new IllegalArgumentException("latency range must satisfy 0 <= min <= max, got " + minLatency + ".."
                    + maxLatency);
        }
        rate("invalid rate", invalidRate);
        rate("unknown rate", unknownRate);
        rate("error rate", errorRate);
        if (invalidRate + unknownRate > 1) {
            throw new IllegalArgumentException("invalid rate + unknown rate must be at most 1, got "
                    + (invalidRate + unknownRate));
        }
        if (errorRate >= 1) {
            throw new IllegalArgumentException("error rate must be below 1, or no call ever succeeds");
        }
        if (priceMicros < 0) {
            throw new IllegalArgumentException("price must not be negative, got " + priceMicros);
        }
    }

    private static void rate(String what, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(what + " must be between 0 and 1, got " + rate);
        }
    }

    public SimulatedValidatorConfig withLatency(Duration min, Duration max) {
        return new SimulatedValidatorConfig(min, max, invalidRate, unknownRate, errorRate, priceMicros, seed);
    }

    public SimulatedValidatorConfig withRates(double invalid, double unknown, double error) {
        return new SimulatedValidatorConfig(minLatency, maxLatency, invalid, unknown, error, priceMicros, seed);
    }

    public SimulatedValidatorConfig withSeed(long newSeed) {
        return new SimulatedValidatorConfig(minLatency, maxLatency, invalidRate, unknownRate, errorRate, priceMicros, newSeed);
    }
}
