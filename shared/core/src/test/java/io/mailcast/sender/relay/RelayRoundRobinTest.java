package io.mailcast.sender.relay;

import io.mailcast.sender.SendResult;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class RelayRoundRobinTest {

    private static final RelayEndpoint SIM = new RelayEndpoint.Simulated(Duration.ZERO, 0);

    @Test
    void weightsThreeToOneGiveExactCountsAndNoBursts() {
        var order = new WeightedRoundRobin(List.of(RelayConfig.of("a", SIM).withWeight(3), RelayConfig.of("b", SIM)));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            picks.add(order.pick(name -> true));
        }
        assertThat(picks.subList(0, 8)).containsExactly("a", "a", "b", "a", "a", "a", "b", "a");
        assertThat(picks.stream().filter("a"::equals).count()).isEqualTo(300);
        assertThat(picks.stream().filter("b"::equals).count()).isEqualTo(100);
    }

    @Test
    void skipsIneligibleRelaysAndReturnsNullWhenNoneIsLeft() {
        var order = new WeightedRoundRobin(List.of(RelayConfig.of("a", SIM).withWeight(3), RelayConfig.of("b", SIM)));
        for (int i = 0; i < 10; i++) {
            assertThat(order.pick("b"::equals)).isEqualTo("b");
        }
        assertThat(order.pick(name -> false)).isNull();
    }

    @Test
    void routerSpreadsMessagesByWeight() throws Exception {
        var a = ScriptedSender.accepting("a");
        var b = ScriptedSender.accepting("b");
        RelaySet relays = RelaySet.of(RelayConfig.of("a", SIM).withWeight(3), RelayConfig.of("b", SIM));
        var clock = new SettableClock();
        try (var router = new RelayRouter(relays, r -> r.name().equals("a") ? a : b,
                new LocalRelayHealth(Throttling.defaults()), new LocalRateLimiter(relays, clock), clock)) {
            Map<String, Integer> byRelay = new TreeMap<>();
            for (long id = 1; id <= 400; id++) {
                SendResult result = router.send(ScriptedSender.message(id));
                byRelay.merge(result.relay(), 1, Integer::sum);
            }
            assertThat(byRelay).containsExactly(Map.entry("a", 300), Map.entry("b", 100));
            assertThat(a.calls()).hasSize(300);
        }
    }

    @Test
    void aRouterOverSimulatedRelaysSaysItIsSimulated() {
        RelaySet relays = RelaySet.of(RelayConfig.of("a", SIM), RelayConfig.of("b", SIM));
        var clock = new SettableClock();
        try (var router = RelayRouter.create(relays, new LocalRelayHealth(Throttling.defaults()),
                new LocalRateLimiter(relays, clock), clock)) {
            assertThat(router.kind()).isEqualTo("simulated");
        }
    }
}
