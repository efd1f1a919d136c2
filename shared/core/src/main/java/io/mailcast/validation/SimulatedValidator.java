package io.mailcast.validation;

import io.mailcast.time.Sleeper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A validator for capacity planning and tests: each address gets a latency and a verdict that depend only on the
 * address and the seed, so two runs (or two nodes) agree; errors are drawn per call, so a retry can pass. Waits through
 * the injected {@link Sleeper}, so a test can run a minute-long call in no time.
 */
public final class SimulatedValidator implements Validator {

    private final SimulatedValidatorConfig config;
    private final Sleeper sleeper;
    private final AtomicLong calls = new AtomicLong();
    private final SplittableRandom errors;

    public SimulatedValidator(SimulatedValidatorConfig config, Sleeper sleeper) {
        this.config = config;
        this.sleeper = sleeper;
        this.errors = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public long priceMicros() {
        return config.priceMicros();
    }

    @Override
    public Verdict check(String address) throws ValidatorException, InterruptedException {
        calls.incrementAndGet();
        SplittableRandom draw = new SplittableRandom(config.seed() * 31 + hash(address));
        sleeper.sleep(latency(draw.nextDouble()));
        if (config.errorRate() > 0 && nextError() < config.errorRate()) {
            throw new ValidatorException("simulated validator error");
        }
        double v = draw.nextDouble();
        if (v < config.invalidRate()) {
            return Verdict.INVALID;
        }
        return v < config.invalidRate() + config.unknownRate() ? Verdict.UNKNOWN : Verdict.VALID;
    }

    /** Calls made so far, errors included: what the provider would bill. */
    public long calls() {
        return calls.get();
    }

    private synchronized double nextError() {
        return errors.nextDouble();
    }

    private Duration latency(double u) {
        long min = config.minLatency().toMillis();
        long span = config.maxLatency().toMillis() - min;
        return Duration.ofMillis(min + Math.round(span * u));
    }

    /** A 64-bit FNV-1a hash: spreads similar addresses better than {@link String#hashCode()}. */
    private static long hash(String address) {
        long h = 0xcbf29ce484222325L;
        for (byte b : address.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
