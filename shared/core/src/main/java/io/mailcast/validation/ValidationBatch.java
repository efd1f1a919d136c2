package io.mailcast.validation;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validates many addresses at once, one virtual thread each and at most {@code concurrency} in flight: a slow call
 * costs a parked virtual thread, not a platform thread.
 */
public final class ValidationBatch {

    /**
     * What a batch did.
     *
     * @param results  addresses by where their result came from
     * @param verdicts addresses by verdict, cached or paid for
     * @param failure  the first unexpected error (the store unreachable), or {@code null}; its address is unchecked
     */
    public record Summary(Map<AddressValidation.Source, Long> results, Map<Verdict, Long> verdicts, long failed,
                          String failure) {

        public long count(AddressValidation.Source source) {
            return results.getOrDefault(source, 0L);
        }

        /** Addresses left without a verdict: a later run picks them up. */
        public long unchecked() {
            return count(AddressValidation.Source.GAVE_UP) + count(AddressValidation.Source.PAST_DEADLINE) + failed;
        }
    }

    private ValidationBatch() {
    }

    /** @param deadline stop waiting (for a budget, another holder) after this; {@code null} for never */
    public static Summary run(AddressValidation validation, Collection<String> addresses, int concurrency,
                              Instant deadline) throws InterruptedException {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        Map<AddressValidation.Source, LongAdder> results = new EnumMap<>(AddressValidation.Source.class);
        for (AddressValidation.Source s : AddressValidation.Source.values()) {
            results.put(s, new LongAdder());
        }
        Map<Verdict, LongAdder> verdicts = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            verdicts.put(v, new LongAdder());
        }
        LongAdder failed = new LongAdder();
        AtomicReference<String> failure = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(concurrency);
        try {
            for (String address : addresses) {
                inFlight.acquire();
                Thread.ofVirtual().name("validate").start(() -> {
                    try {
                        AddressValidation.Result r = validation.validate(address, deadline);
                        results.get(r.source()).increment();
                        if (r.verdict() != null) {
                            verdicts.get(r.verdict()).increment();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        failed.increment();
                    } catch (RuntimeException e) {
                        failed.increment();
                        failure.compareAndSet(null, e.toString());
                    } finally {
                        inFlight.release();
                    }
                });
            }
        } finally {
            // Waits for the last ones: their claims and charges must settle before the figures are read.
            inFlight.acquire(concurrency);
            inFlight.release(concurrency);
        }
        Map<AddressValidation.Source, Long> r = new EnumMap<>(AddressValidation.Source.class);
        results.forEach((k, v) -> r.put(k, v.sum()));
        Map<Verdict, Long> v = new EnumMap<>(Verdict.class);
        verdicts.forEach((k, n) -> v.put(k, n.sum()));
        return new Summary(r, v, failed.sum(), failure.get());
    }
}
