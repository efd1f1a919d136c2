package io.mailcast.validation;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.LongAdder;

/**
 * Validates many addresses at once, one virtual thread each and a bounded number in flight: a slow call costs a
 * parked virtual thread, not a platform thread.
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
        return run(validation, addresses, new ValidationSlots(concurrency, Integer.MAX_VALUE, () -> 1), deadline,
                () -> false);
    }

    /**
     * As above, with the checks in flight limited by {@code slots}, which other batches of this process share. When
     * the calling thread is interrupted, the checks under way are interrupted too (each releases its claim) and this
     * throws once they have ended.
     *
     * @param halt once true, no further check starts; those under way finish, since they are paid for already
     */
    public static Summary run(AddressValidation validation, Collection<String> addresses, ValidationSlots slots,
                              Instant deadline, BooleanSupplier halt) throws InterruptedException {
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
        // Closing the executor waits for the last checks: their claims and charges settle before figures are read.
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("validate").factory())) {
            try {
                for (String address : addresses) {
                    if (halt.getAsBoolean()) {
                        break;
                    }
                    slots.acquire();
                    if (halt.getAsBoolean()) {
                        slots.release();
                        break;
                    }
                    threads.execute(() -> {
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
                            slots.release();
                        }
                    });
                }
            } catch (InterruptedException e) {
                threads.shutdownNow();
                throw e;
            }
        }
        Map<AddressValidation.Source, Long> r = new EnumMap<>(AddressValidation.Source.class);
        results.forEach((k, v) -> r.put(k, v.sum()));
        Map<Verdict, Long> v = new EnumMap<>(Verdict.class);
        verdicts.forEach((k, n) -> v.put(k, n.sum()));
        return new Summary(r, v, failed.sum(), failure.get());
    }
}
