package io.mailcast.node.metrics;

import io.mailcast.bounce.BounceStats;
import io.mailcast.bounce.InboundVerdict;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Locale;

/** What the bounce listener took in, by verdict (dropped mail included: unsigned, auto-replies, unknown). */
public final class BounceMeters {

    private BounceMeters() {
    }

    public static void register(MeterRegistry registry, BounceStats stats) {
        for (InboundVerdict verdict : InboundVerdict.values()) {
            FunctionCounter.builder("mailcast.bounce.reports", stats, s -> s.get(verdict))
                    .description("Mail to the bounce address, by what became of it")
                    .tag("verdict", verdict.name().toLowerCase(Locale.ROOT)).register(registry);
        }
    }
}
