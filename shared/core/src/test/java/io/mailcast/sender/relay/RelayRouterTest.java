package io.mailcast.sender.relay;

import io.mailcast.delivery.Outcome;
import io.mailcast.sender.RelayFigures;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Failover, mark-down and what does not count as a relay failure, with scripted relays and a test clock. */
class RelayRouterTest {

    private static final RelayEndpoint SIM = new RelayEndpoint.Simulated(Duration.ZERO, 0);

    private final SettableClock clock = new SettableClock();
    private final Instant start = clock.instant();
    private final LocalRelayHealth health = new LocalRelayHealth(Throttling.defaults());

    private RelayRouter router(RelaySet relays, Map<String, Sender> senders) {
        return new RelayRouter(relays, r -> senders.get(r.name()), health, new LocalRateLimiter(relays, clock), clock);
    }

    @Test
    void unreachableRelayIsMarkedDownAndItsMessagesGoToTheNextOneUntilTheCoolDownEnds() throws Exception {
        var dead = ScriptedSender.unreachable("dead");
        var live = ScriptedSender.accepting("live");
        RelaySet relays = new RelaySet(List.of(RelayConfig.of("dead", SIM).withWeight(5), RelayConfig.of("live", SIM)),
                RoutingPolicy.defaults().withCoolDown(Duration.ofMinutes(10)));
        try (var router = router(relays, Map.of("dead", dead, "live", live))) {
            for (long id = 1; id <= 50; id++) {
                assertThat(router.send(ScriptedSender.message(id))).isEqualTo(SendResult.sent("live"));
            }
            assertThat(dead.calls()).hasSize(1);
            assertThat(live.calls()).hasSize(50);
            assertThat(health.isDown("dead", clock.instant().plus(Duration.ofMinutes(9)))).isTrue();

            clock.advance(Duration.ofMinutes(10));
            assertThat(router.send(ScriptedSender.message(51))).isEqualTo(SendResult.sent("live"));
            assertThat(dead.calls()).as("tried again after the cool-down").hasSize(2);
            assertThat(health.isDown("dead", clock.instant().plus(Duration.ofMinutes(9)))).isTrue();
            assertThat(router.relayFigures()).containsExactly(
                    new RelayFigures("dead", true, 1.0, 0, 2, 2),
                    new RelayFigures("live", false, 1.0, 51, 0, 0));
        }
    }

    @Test
    void permanentRejectionIsTheRecipientsProblemNotTheRelays() throws Exception {
        var rejecting = new ScriptedSender(m -> SendResult.failed("550 5.1.1 mailbox unknown", false, "only"));
        RelaySet relays = new RelaySet(List.of(RelayConfig.of("only", SIM)),
                RoutingPolicy.defaults().withFailuresBeforeDown(2));
        try (var router = router(relays, Map.of("only", rejecting))) {
            for (long id = 1; id <= 5; id++) {
                SendResult result = router.send(ScriptedSender.message(id));
                assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
                assertThat(result.retryable()).isFalse();
            }
            assertThat(health.isDown("only", clock.instant())).isFalse();
        }
    }

    @Test
    void consecutiveTransientFailuresMarkTheRelayDownAndTheLastMessageMovesOn() throws Exception {
        var flaky = new ScriptedSender(m -> SendResult.failed("connection to relay failed: reset", true, "flaky"));
        var live = ScriptedSender.accepting("live");
        RelaySet relays = new RelaySet(List.of(RelayConfig.of("flaky", SIM).withWeight(100), RelayConfig.of("live", SIM)),
                RoutingPolicy.defaults().withFailuresBeforeDown(3));
        try (var router = router(relays, Map.of("flaky", flaky, "live", live))) {
            assertThat(router.send(ScriptedSender.message(1)).retryable()).isTrue();
            assertThat(router.send(ScriptedSender.message(2)).retryable()).isTrue();
            assertThat(router.send(ScriptedSender.message(3))).isEqualTo(SendResult.sent("live"));
            assertThat(health.isDown("flaky", clock.instant())).isTrue();
        }
    }

    @Test
    void aTryTheRelayMayHaveAcceptedIsStillCountedAfterFailingOverToAnotherRelay() throws Exception {
        var dropping = new ScriptedSender(m -> SendResult.inDoubt("connection to relay failed: reset", "dropping"));
        var live = ScriptedSender.accepting("live");
        RelaySet relays = new RelaySet(List.of(RelayConfig.of("dropping", SIM).withWeight(100), RelayConfig.of("live", SIM)),
                RoutingPolicy.defaults().withFailuresBeforeDown(2));
        try (var router = router(relays, Map.of("dropping", dropping, "live", live))) {
            SendResult first = router.send(ScriptedSender.message(1));
            SendResult failedOver = router.send(ScriptedSender.message(2));

            assertThat(first.attemptsInDoubt()).as("returned to the caller, who retries").isEqualTo(1);
            assertThat(failedOver.isSent()).isTrue();
            assertThat(failedOver.relay()).isEqualTo("live");
            assertThat(failedOver.attemptsInDoubt()).as("the dropping relay may have delivered it too").isEqualTo(1);
            assertThat(router.send(ScriptedSender.message(3))).isEqualTo(SendResult.sent("live"));
        }
    }

    @Test
    void successResetsTheFailureCount() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        var alternating = new ScriptedSender(m -> calls.incrementAndGet() % 2 == 0 ? SendResult.sent("alt")
                : SendResult.failed("connection to relay failed: reset", true, "alt"));
        RelaySet relays = new RelaySet(List.of(RelayConfig.of("alt", SIM)),
                RoutingPolicy.defaults().withFailuresBeforeDown(2));
        try (var router = router(relays, Map.of("alt", alternating))) {
            for (long id = 1; id <= 10; id++) {
                router.send(ScriptedSender.message(id));
            }
            assertThat(health.isDown("alt", clock.instant())).isFalse();
        }
    }

    @Test
    void withEveryRelayDownASendWaitsForTheFirstToComeBack() throws Exception {
        var flaky = new ScriptedSender(m -> clock.instant().isBefore(start.plus(Duration.ofMinutes(10)))
                ? SendResult.unreachable("cannot connect to relay: refused", "a") : SendResult.sent("a"));
        var dead = ScriptedSender.unreachable("b");
        RelaySet relays = new RelaySet(List.of(RelayConfig.of("a", SIM), RelayConfig.of("b", SIM)),
                RoutingPolicy.defaults().withCoolDown(Duration.ofMinutes(10)).withMaxDownWait(Duration.ofMinutes(15)));
        List<Duration> sleeps = new ArrayList<>();
        try (var router = new RelayRouter(relays, r -> r.name().equals("a") ? flaky : dead, health,
                new LocalRateLimiter(relays, clock), clock, d -> { sleeps.add(d); clock.advance(d); })) {

            SendResult result = router.send(ScriptedSender.message(1));

            assertThat(result).isEqualTo(SendResult.sent("a"));
            assertThat(flaky.calls()).as("tried, marked down, tried again after the cool-down").hasSize(2);
            assertThat(clock.instant()).isBetween(start.plus(Duration.ofMinutes(10)), start.plus(Duration.ofMinutes(10)).plusSeconds(5));
            assertThat(sleeps).allMatch(d -> d.compareTo(Duration.ofSeconds(5)) <= 0);
        }
    }

    @Test
    void aSendGivesUpAfterTheLongestWaitForARelayToComeBack() throws Exception {
        RelaySet relays = new RelaySet(List.of(RelayConfig.of("a", SIM)),
                RoutingPolicy.defaults().withCoolDown(Duration.ofMinutes(10)).withMaxDownWait(Duration.ofMinutes(3)));
        var dead = ScriptedSender.unreachable("a");
        try (var router = new RelayRouter(relays, r -> dead, health, new LocalRateLimiter(relays, clock), clock,
                clock::advance)) {

            SendResult result = router.send(ScriptedSender.message(1));

            assertThat(result.retryable()).isTrue();
            assertThat(result.relayUnreachable()).isTrue();
            assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofMinutes(3));
            assertThat(dead.calls()).hasSize(1);
        }
    }

    @Test
    void withEveryRelayDownAndNoWaitTheCallerGetsARetryableFailureNamingThem() throws Exception {
        RelaySet relays = new RelaySet(List.of(RelayConfig.of("a", SIM), RelayConfig.of("b", SIM)),
                RoutingPolicy.defaults().withMaxDownWait(Duration.ZERO));
        health.markDown("a", clock.instant(), clock.instant().plusSeconds(60));
        health.markDown("b", clock.instant(), clock.instant().plusSeconds(60));
        try (var router = router(relays, Map.of("a", ScriptedSender.accepting("a"), "b", ScriptedSender.accepting("b")))) {
            SendResult result = router.send(ScriptedSender.message(1));
            assertThat(result.retryable()).isTrue();
            assertThat(result.reason()).isEqualTo("no relay available: a is marked down; b is marked down");
        }
    }

    @Test
    void recognisesThrottlingReplies() {
        assertThat(RelayRouter.isThrottleReply("421 4.7.0 too many connections")).isTrue();
        assertThat(RelayRouter.isThrottleReply("451 4.3.0 try later")).isTrue();
        assertThat(RelayRouter.isThrottleReply("452-4.5.3 too many recipients")).isTrue();
        assertThat(RelayRouter.isThrottleReply("454 4.7.0 TLS not available")).isTrue();
        assertThat(RelayRouter.isThrottleReply("450 4.2.0 mailbox busy")).isFalse();
        assertThat(RelayRouter.isThrottleReply("4510 odd")).isFalse();
        assertThat(RelayRouter.isThrottleReply("cannot connect to relay: 451")).isFalse();
        assertThat(RelayRouter.isThrottleReply(null)).isFalse();
    }
}
