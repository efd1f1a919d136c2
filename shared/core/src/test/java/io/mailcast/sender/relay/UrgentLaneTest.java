package io.mailcast.sender.relay;

import io.mailcast.time.Sleeper;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mailcast.sender.relay.RateLimiter.Slot.TAKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A send-API message under a relay's rate limit takes the next slot but one, not its turn behind every campaign send
 * already waiting. Real time: the waiters are real threads queued on the pacer.
 */
class UrgentLaneTest {

    private static final RelayEndpoint SIM = new RelayEndpoint.Simulated(Duration.ZERO, 0);
    private static final int QUEUED = 30;

    @Test
    void anUrgentSendOvertakesTheOrdinarySendsAlreadyWaiting() throws Exception {
        var limiter = new LocalRateLimiter(RelaySet.of(RelayConfig.of("r", SIM).withRate(50)), Clock.systemUTC(),
                Sleeper.SYSTEM);
        Instant deadline = Instant.now().plusSeconds(30);
        AtomicInteger granted = new AtomicInteger();
        List<Thread> ordinary = new ArrayList<>();
        for (int i = 0; i < QUEUED; i++) {
            ordinary.add(Thread.ofVirtual().start(() -> take(limiter, false, deadline, granted)));
        }
        while (granted.get() < 2) {
            Thread.sleep(5); // the campaign's sends are flowing and the rest are queued behind them
        }
        int grantedBefore = granted.get();
        int urgentTurn = take(limiter, true, deadline, granted);
        for (Thread t : ordinary) {
            t.join();
        }
        assertThat(granted.get()).isEqualTo(QUEUED + 1);
        assertThat(urgentTurn - grantedBefore)
                .as("slots granted from the urgent send's arrival to its own (at most the ordinary send already next)")
                .isLessThanOrEqualTo(2);
        assertThat(QUEUED - grantedBefore).as("ordinary sends still waiting when it arrived").isGreaterThan(10);
    }

    private static int take(RateLimiter limiter, boolean urgent, Instant deadline, AtomicInteger granted) {
        try {
            assertThat(limiter.acquire("r", 1.0, urgent, deadline)).isEqualTo(TAKEN);
            return granted.incrementAndGet();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
