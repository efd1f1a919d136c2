package io.mailcast.sender.relay;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailcast.quota.LocalQuotaLedger;
import io.mailcast.sender.SendResult;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A send that finds every relay out of quota waits for the quota to renew instead of failing: no attempt is used, and
 * the log says so once when the wait starts and once when sending resumes. Waits move a test clock.
 */
class RelayQuotaWaitTest {

    private static final RelayEndpoint SIM = new RelayEndpoint.Simulated(Duration.ZERO, 0);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-02T16:59:00Z"));
    private final LocalRelayHealth health = new LocalRelayHealth(Throttling.defaults());
    private final List<Duration> sleeps = new ArrayList<>();
    private final Logger routerLog = (Logger) LoggerFactory.getLogger(RelayRouter.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void captureLogs() {
        levelBefore = routerLog.getLevel();
        routerLog.setLevel(Level.INFO);
        logs.start();
        routerLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        routerLog.detachAppender(logs);
        routerLog.setLevel(levelBefore);
    }

    private RelayRouter router(RelaySet relays, Map<String, ScriptedSender> senders) {
        return new RelayRouter(relays, r -> senders.get(r.name()), health,
                new LocalRateLimiter(relays, new LocalQuotaLedger(), clock, clock::advance), clock,
                d -> {
                    synchronized (sleeps) {
                        sleeps.add(d);
                    }
                    clock.advance(d);
                });
    }

    @Test
    void aSendOutOfQuotaWaitsForTheNextHourAndUsesNoAttempt() throws Exception {
        var relay = ScriptedSender.accepting("r");
        try (var router = router(RelaySet.of(RelayConfig.of("r", SIM).withQuotas(3, 0)), Map.of("r", relay))) {
            for (long id = 1; id <= 3; id++) {
                assertThat(router.send(ScriptedSender.message(id))).isEqualTo(SendResult.sent("r"));
            }
            SendResult fourth = router.send(ScriptedSender.message(4));

            assertThat(fourth).isEqualTo(SendResult.sent("r"));
            assertThat(relay.calls()).as("the relay saw each message once").hasSize(4);
            assertThat(clock.instant()).as("sent as the hour turned")
                    .isBetween(Instant.parse("2026-12-02T17:00:00Z"), Instant.parse("2026-12-02T17:00:00.100Z"));
            assertThat(sleeps).allMatch(d -> d.compareTo(Duration.ofSeconds(5)) <= 0);
        }
        assertThat(messages(Level.WARN)).singleElement().asString()
                .contains("every relay that is up is out of its cluster-wide quota (r until 2026-12-02T17:00:00Z)")
                .contains("sends wait until 2026-12-02T17:00:00Z");
        assertThat(messages(Level.INFO)).containsExactly("relay r has quota again; sends resume");
    }

    @Test
    void manySendsWaitingTogetherLogOneLineEachWay() throws Exception {
        var relay = ScriptedSender.accepting("r");
        // The waiting threads all move the one test clock, hours at a time: no deadline for a rate slot here.
        RelaySet relays = new RelaySet(List.of(RelayConfig.of("r", SIM).withQuotas(0, 10)),
                RoutingPolicy.defaults().withMaxRateWait(Duration.ofDays(30)));
        try (var router = router(relays, Map.of("r", relay));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SendResult>> sends = new ArrayList<>();
            for (long id = 1; id <= 20; id++) {
                long message = id;
                sends.add(threads.submit(() -> router.send(ScriptedSender.message(message))));
            }
            for (Future<SendResult> send : sends) {
                assertThat(send.get()).extracting(SendResult::isSent).as("%s", send.get()).isEqualTo(true);
            }
            assertThat(relay.calls()).hasSize(20);
            assertThat(clock.instant()).as("10 of them waited for the next day").isAfterOrEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
        }
        assertThat(messages(Level.WARN)).hasSize(1);
        assertThat(messages(Level.INFO)).hasSize(1);
    }

    @Test
    void anotherRelayWithQuotaTakesTheTrafficWithoutWaiting() throws Exception {
        var small = ScriptedSender.accepting("small");
        var big = ScriptedSender.accepting("big");
        RelaySet relays = RelaySet.of(RelayConfig.of("small", SIM).withWeight(5).withQuotas(2, 0), RelayConfig.of("big", SIM));
        try (var router = router(relays, Map.of("small", small, "big", big))) {
            for (long id = 1; id <= 10; id++) {
                assertThat(router.send(ScriptedSender.message(id)).isSent()).isTrue();
            }
            assertThat(small.calls()).hasSize(2);
            assertThat(big.calls()).hasSize(8);
            assertThat(sleeps).isEmpty();
        }
        assertThat(messages(Level.WARN)).isEmpty();
    }

    @Test
    void aRelayOutOfQuotaAndTheOtherMarkedDownIsAQuotaWait() throws Exception {
        var capped = ScriptedSender.accepting("capped");
        var dead = ScriptedSender.unreachable("dead");
        RelaySet relays = new RelaySet(List.of(RelayConfig.of("capped", SIM).withQuotas(1, 0), RelayConfig.of("dead", SIM)),
                RoutingPolicy.defaults().withCoolDown(Duration.ofHours(2)));
        try (var router = router(relays, Map.of("capped", capped, "dead", dead))) {
            health.markDown("dead", clock.instant(), clock.instant().plus(Duration.ofHours(2)));
            assertThat(router.send(ScriptedSender.message(1))).isEqualTo(SendResult.sent("capped"));
            assertThat(router.send(ScriptedSender.message(2))).isEqualTo(SendResult.sent("capped"));
            assertThat(clock.instant()).isAfterOrEqualTo(Instant.parse("2026-12-02T17:00:00Z"));
            assertThat(dead.calls()).isEmpty();
        }
    }

    @Test
    void closingTheRouterEndsTheWaitAsIfTheSendNeverStarted() throws Exception {
        var relay = ScriptedSender.accepting("r");
        RelaySet relays = RelaySet.of(RelayConfig.of("r", SIM).withQuotas(1, 0));
        RelayRouter[] router = new RelayRouter[1];
        router[0] = new RelayRouter(relays, r -> relay, health, new LocalRateLimiter(relays, clock), clock,
                d -> router[0].close()); // the node stops while the send waits
        assertThat(router[0].send(ScriptedSender.message(1)).isSent()).isTrue();
        assertThatThrownBy(() -> router[0].send(ScriptedSender.message(2)))
                .isInstanceOf(io.mailcast.sender.SendWithheldException.class)
                .hasMessageContaining("closed while the send waited for relay quota");
        assertThat(relay.calls()).hasSize(1);
    }

    private List<String> messages(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aStoppingNodesSendsWaitingForQuotaEndAtOnceUnsentAndTheRelaySeesNothing() throws Exception {
        var relay = ScriptedSender.accepting("r");
        var relays = RelaySet.of(RelayConfig.of("r", SIM).withQuotas(1, 0));
        // Real naps this time: the stop must cut a nap short, not wait for its end.
        try (var router = new RelayRouter(relays, r -> relay, health,
                new LocalRateLimiter(relays, new LocalQuotaLedger(), clock, clock::advance), clock,
                io.mailcast.time.Sleeper.SYSTEM);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            assertThat(router.send(ScriptedSender.message(1))).isEqualTo(SendResult.sent("r"));
            List<Future<SendResult>> waiting = new ArrayList<>();
            for (long id = 2; id <= 5; id++) {
                long subscriber = id;
                waiting.add(threads.submit(() -> router.send(ScriptedSender.message(subscriber))));
            }
            Thread.sleep(300); // all four are napping, out of quota until the next hour
            long stopAt = System.nanoTime();
            router.stopWaiting();
            for (Future<SendResult> send : waiting) {
                assertThatThrownBy(send::get).hasCauseInstanceOf(io.mailcast.sender.SendWithheldException.class)
                        .hasMessageContaining("while the send waited for relay quota");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).isLessThan(Duration.ofSeconds(2));
            assertThat(relay.calls()).as("only the first message reached the relay").hasSize(1);
            assertThatThrownBy(() -> router.send(ScriptedSender.message(6)))
                    .isInstanceOf(io.mailcast.sender.SendWithheldException.class);
        }
    }
}
