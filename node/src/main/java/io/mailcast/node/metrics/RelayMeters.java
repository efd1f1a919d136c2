package io.mailcast.node.metrics;

import io.mailcast.sender.RelayFigures;
import io.mailcast.sender.Sender;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.ToDoubleFunction;

/** One series per relay (tag {@code relay}): up or down, rate factor, sent, failures, up-to-down transitions. */
public final class RelayMeters {

    private RelayMeters() {
    }

    /** Registers the relays the sender has now; a sender that does not choose between relays has none. */
    public static void register(MeterRegistry registry, Sender sender) {
        for (RelayFigures relay : sender.relayFigures()) {
            String name = relay.relay();
            gauge(registry, sender, name, "mailcast.relay.up", "1 unless the relay is marked down", r -> r.down() ? 0 : 1);
            gauge(registry, sender, name, "mailcast.relay.rate.factor",
                    "Share of the relay's rate allowed now (below 1 after throttling)", RelayFigures::rateFactor);
            counter(registry, sender, name, "mailcast.relay.messages.sent", "Messages this node got accepted by the relay",
                    RelayFigures::sent);
            counter(registry, sender, name, "mailcast.relay.failures", "Attempts on the relay that were not accepted",
                    RelayFigures::failed);
            counter(registry, sender, name, "mailcast.relay.marked.down",
                    "Times this node took the relay from up to down (one per outage in the cluster)", RelayFigures::markedDown);
        }
    }

    private static void gauge(MeterRegistry registry, Sender sender, String relay, String name, String description,
                              ToDoubleFunction<RelayFigures> value) {
        Gauge.builder(name, sender, s -> figure(s, relay, value)).description(description).tag("relay", relay)
                .register(registry);
    }

    private static void counter(MeterRegistry registry, Sender sender, String relay, String name, String description,
                                ToDoubleFunction<RelayFigures> value) {
        FunctionCounter.builder(name, sender, s -> figure(s, relay, value)).description(description).tag("relay", relay)
                .register(registry);
    }

    private static double figure(Sender sender, String relay, ToDoubleFunction<RelayFigures> value) {
        return sender.relayFigures().stream().filter(r -> r.relay().equals(relay)).findFirst()
                .map(value::applyAsDouble).orElse(Double.NaN);
    }
}
