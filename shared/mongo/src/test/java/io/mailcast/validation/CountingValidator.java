package io.mailcast.validation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts calls per address, and how many run at once, on their way to a real validator: a second paid call for one
 * address shows here. Public: the node's cluster tests count with it too.
 */
public final class CountingValidator implements Validator {

    public final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    public final AtomicInteger maxInFlight = new AtomicInteger();
    /** Calls that started while another call for the same address was running. */
    public final AtomicInteger concurrentForOneAddress = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> runningPerAddress = new ConcurrentHashMap<>();
    private final Validator delegate;

    public CountingValidator(Validator delegate) {
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
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        AtomicInteger running = runningPerAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (running.incrementAndGet() > 1) {
            concurrentForOneAddress.incrementAndGet();
        }
        try {
            return delegate.check(address);
        } finally {
            running.decrementAndGet();
            inFlight.decrementAndGet();
        }
    }

    public int total() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** The most calls any one address got. */
    public int maxPerAddress() {
        return calls.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }
}
