package io.mailcast.node.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.mailcast.validation.Validator;
import io.mailcast.validation.ValidatorException;
import io.mailcast.validation.Verdict;

import java.time.Duration;
import java.util.Locale;

/**
 * A validator that records how long each paid call took, per result ({@code mailcast_validation_latency_seconds}):
 * its buckets give the latency percentiles the capacity plan needs.
 */
public final class TimedValidator implements Validator {

    private final Validator delegate;
    private final Histograms latencies;

    public TimedValidator(Validator delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.latencies = new Histograms(registry, "mailcast.validation.latency",
                "Time of one paid address check, per result (valid, invalid, unknown, error)",
                Histograms.seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120));
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public long priceMicros() {
        return delegate.priceMicros();
    }

    @Override
    public Verdict check(String address) throws ValidatorException, InterruptedException {
        long started = System.nanoTime();
        String result = "error";
        try {
            Verdict v = delegate.check(address);
            result = v.name().toLowerCase(Locale.ROOT);
            return v;
        } finally {
            latencies.record(Duration.ofNanos(System.nanoTime() - started), "result", result);
        }
    }
}
