package io.mailcast.validation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts calls per address on their way to a real validator: a second paid call for one address shows here. */
final class CountingValidator implements Validator {

    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final AtomicInteger concurrentForOneAddress = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Validator delegate;

    CountingValidator(Validator delegate) {
        this.delegate = delegate;
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
        calls.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        AtomicInteger running = inFlight.computeIfAbsent(address, a -> new AtomicInteger());
        if (running.incrementAndGet() > 1) {
            concurrentForOneAddress.incrementAndGet();
        }
        try {
            return delegate.check(address);
        } finally {
            running.decrementAndGet();
        }
    }

    int total() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
