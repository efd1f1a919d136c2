package io.mailcast.sender.relay;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailcast.sender.RelayFigures;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relay outage is one event: sends that fail together mark it down once, the counter counts that one transition,
 * and the log has one line per state change (down, back) carrying the number of repeats it stood for.
 */
class RelayOutageEventsTest {

    private static final RelayEndpoint SIM = new RelayEndpoint.Simulated(Duration.ZERO, 0);
    private static final Duration COOL_DOWN = Duration.ofMinutes(10);
    private static final int IN_FLIGHT = 8;

    private final SettableClock clock = new SettableClock();
    private final LocalRelayHealth health = new LocalRelayHealth(Throttling.defaults());
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

    @Test
    void sendsFailingTogetherAreOneTransitionCountedOnceAndLoggedOncePerStateChange() throws Exception {
        // Every send in flight on the relay fails at the same moment, as when a relay dies under a full connection pool.
        CountDownLatch allInFlight = new CountDownLatch(IN_FLIGHT);
        AtomicBoolean dead = new AtomicBoolean(true);
        var flaky = new ScriptedSender(m -> {
            if (!dead.get()) {
                return SendResult.sent("flaky");
            }
            allInFlight.countDown();
            awaitQuietly(allInFlight);
            return SendResult.unreachable("cannot connect to relay: Connection refused", "flaky");
        });
        var backup = ScriptedSender.accepting("backup");
        // With weights 1000:1 every one of the concurrent sends picks "flaky" first.
        RelaySet relays = new RelaySet(List.of(RelayConfig.of("flaky", SIM).withWeight(1000), RelayConfig.of("backup", SIM)),
                RoutingPolicy.defaults().withCoolDown(COOL_DOWN));
        try (var router = new RelayRouter(relays, r -> Map.of("flaky", flaky, "backup", backup).get(r.name()), health,
                new LocalRateLimiter(relays, clock), clock);
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SendResult>> sends = new ArrayList<>();
            for (long id = 1; id <= IN_FLIGHT; id++) {
                long message = id;
                sends.add(threads.submit(() -> router.send(ScriptedSender.message(message))));
            }
            for (Future<SendResult> send : sends) {
                assertThat(send.get(10, TimeUnit.SECONDS)).as("failed over at once").isEqualTo(SendResult.sent("backup"));
            }
            for (long id = 100; id < 120; id++) {
                assertThat(router.send(ScriptedSender.message(id))).isEqualTo(SendResult.sent("backup"));
            }

            assertThat(markedDown(router)).as("one outage, one transition").isEqualTo(1);
            assertThat(lines()).containsExactly("WARN relay flaky marked down for 600 s: cannot connect to relay: Connection refused");

            clock.advance(COOL_DOWN);
            dead.set(false);
            assertThat(router.send(ScriptedSender.message(200))).isEqualTo(SendResult.sent("flaky"));
            assertThat(router.send(ScriptedSender.message(201))).isEqualTo(SendResult.sent("flaky"));

            dead.set(true);
            Instant secondOutage = clock.advance(Duration.ofMinutes(1));
            assertThat(router.send(ScriptedSender.message(300))).isEqualTo(SendResult.sent("backup"));

            assertThat(markedDown(router)).as("a second outage is a second transition").isEqualTo(2);
            assertThat(health.isDown("flaky", secondOutage)).isTrue();
            assertThat(lines()).containsExactly(
                    "WARN relay flaky marked down for 600 s: cannot connect to relay: Connection refused",
                    "INFO relay flaky is back in rotation after its cool-down (7 repeated mark-downs since the last change not logged)",
                    "WARN relay flaky marked down for 600 s: cannot connect to relay: Connection refused");
        }
    }

    @Test
    void onlyTheFirstMarkOfAnOutageTakesTheRelayDown() {
        Instant now = clock.instant();

        assertThat(health.markDown("r", now, now.plus(COOL_DOWN))).isTrue();
        assertThat(health.markDown("r", now.plusSeconds(1), now.plus(COOL_DOWN).plusSeconds(1))).isFalse();
        assertThat(health.isDown("r", now.plus(COOL_DOWN))).as("the later mark is kept").isTrue();
        assertThat(health.markDown("r", now.plus(COOL_DOWN).plusSeconds(1), now.plus(COOL_DOWN.multipliedBy(2))))
                .as("after the cool-down it is a new outage").isTrue();
    }

    private static long markedDown(RelayRouter router) {
        return router.relayFigures().stream().filter(f -> f.relay().equals("flaky")).mapToLong(RelayFigures::markedDown)
                .sum();
    }

    private List<String> lines() {
        return logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the concurrent sends never were all in flight");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
