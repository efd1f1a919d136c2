package io.mailcast.validation;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one process's validation work, updated from many virtual threads. */
public final class ValidationFigures {

    public final LongAdder paidCalls = new LongAdder();
    public final LongAdder cacheHits = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final LongAdder gaveUp = new LongAdder();
    public final LongAdder syntaxInvalid = new LongAdder();
    public final LongAdder moneyMicros = new LongAdder();
    public final LongAdder budgetWaits = new LongAdder();
    private final Map<Verdict, LongAdder> verdicts = new EnumMap<>(Verdict.class);

    public ValidationFigures() {
        for (Verdict v : Verdict.values()) {
            verdicts.put(v, new LongAdder());
        }
    }

    void verdict(Verdict v) {
        verdicts.get(v).increment();
    }

    /** Verdicts obtained by paid calls, by kind. */
    public long verdicts(Verdict v) {
        return verdicts.get(v).sum();
    }
}
