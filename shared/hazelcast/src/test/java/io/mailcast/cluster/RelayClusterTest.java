package io.mailcast.cluster;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.core.HazelcastInstance;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailcast.quota.LocalQuotaLedger;
import io.mailcast.quota.QuotaLedger;
import io.mailcast.sender.OutgoingMessage;
import io.mailcast.sender.SendResult;
import io.mailcast.sender.Sender;
import io.mailcast.sender.relay.RelayConfig;
import io.mailcast.sender.relay.RelayEndpoint;
import io.mailcast.sender.relay.RelayRouter;
import io.mailcast.sender.relay.RelaySet;
import io.mailcast.sender.relay.RoutingPolicy;
import io.mailcast.sender.relay.Throttling;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.SmtpEndpoint;
import io.mailcast.sender.smtp.TlsMode;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mailcast.sender.relay.RateLimiter.Slot.TAKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Relay health and rate limits shared by a two-member cluster (a third member joins for one test). */
class RelayClusterTest {

    private static final Duration EVENTUALLY = Duration.ofSeconds(20);
    private static final RelayEndpoint SIM = new RelayEndpoint.Simulated(Duration.ZERO, 0);

    private static TestHazelcastFactory factory;
    private static HazelcastInstance member1;
    private static HazelcastInstance member2;

    private final SettableClock clock = new SettableClock();

    @BeforeAll
    static void startCluster() {
        factory = new TestHazelcastFactory();
        member1 = newMember();
        member2 = newMember();
        await().atMost(Duration.ofSeconds(30)).until(() -> member1.getCluster().getMembers().size() == 2
                && member2.getCluster().getMembers().size() == 2);
    }

    @AfterAll
    static void stopCluster() {
        if (factory != null) {
            factory.shutdownAll();
        }
    }

    private static HazelcastInstance newMember() {
        return factory.newHazelcastInstance(HazelcastConfigs.member(ClusterConfig.local("test", List.of())));
    }

    @Test
    void markDownAndThrottlingAreSeenByTheOtherMember() {
        try (var health1 = HazelcastRelayHealth.start(member1, Throttling.defaults());
             var health2 = HazelcastRelayHealth.start(member2, Throttling.defaults())) {
            Instant now = clock.instant();
            assertThat(health1.markDown("h-down", now, now.plus(Duration.ofMinutes(10)))).as("up to down").isTrue();
            assertThat(health2.markDown("h-down", now, now.plus(Duration.ofMinutes(5))))
                    .as("the same outage noticed on the other member is no second transition").isFalse();
            assertThat(health1.isDown("h-down", now)).as("at once on the member that marked it").isTrue();
            await().atMost(EVENTUALLY).until(() -> health2.isDown("h-down", now));
            assertThat(health2.isDown("h-down", now.plus(Duration.ofMinutes(10)))).isFalse();

            assertThat(health1.recordThrottle("h-slow", now)).isEqualTo(0.5);
            await().atMost(EVENTUALLY).until(() -> health2.rateFactor("h-slow", now) == 0.5);
            assertThat(health2.recordThrottle("h-slow", now.plusSeconds(1))).as("within the settle time").isEqualTo(0.5);
            assertThat(health2.rateFactor("h-slow", now.plusSeconds(60))).isEqualTo(1.0);
        }
        // A member that starts later sees what happened before it joined.
        try (var late = HazelcastRelayHealth.start(member2, Throttling.defaults())) {
            assertThat(late.isDown("h-down", clock.instant())).isTrue();
        }
    }

    @Test
    void deadRelayFailsOverWithoutLossAndIsMarkedDownClusterWideUntilTheCoolDownEnds() throws Exception {
        GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
        var coolDown = Duration.ofMinutes(10);
        RelaySet relays = new RelaySet(List.of(
                RelayConfig.of("f-dead", smtp("127.0.0.1", closedPort())).withWeight(3),
                RelayConfig.of("f-live", smtp(greenMail.getSmtp().getServerSetup().getBindAddress(), greenMail.getSmtp().getPort()))),
                RoutingPolicy.defaults().withCoolDown(coolDown));
        AtomicInteger deadAttempts = new AtomicInteger();
        try (var health2 = HazelcastRelayHealth.start(member2, Throttling.defaults());
             var router = new RelayRouter(relays, relay -> counting(relay.endpoint().create(relay.name(), clock),
                     relay.name().equals("f-dead") ? deadAttempts : new AtomicInteger()),
                     HazelcastRelayHealth.start(member1, Throttling.defaults()),
                     ClusterRateLimiter.start(member1, relays, new LocalQuotaLedger(), clock, clock::advance), clock)) {
            for (long id = 1; id <= 20; id++) {
                assertThat(router.send(message(id))).isEqualTo(SendResult.sent("f-live"));
            }
            assertThat(greenMail.waitForIncomingEmail(10_000, 20)).isTrue();
            assertThat(greenMail.getReceivedMessages()).hasSize(20);
            assertThat(deadAttempts).hasValue(1);
            Instant markedAt = clock.instant();
            await().atMost(EVENTUALLY).until(() -> health2.isDown("f-dead", markedAt));
            assertThat(health2.isDown("f-dead", markedAt.plus(coolDown))).isFalse();

            clock.advance(coolDown);
            assertThat(router.send(message(21))).isEqualTo(SendResult.sent("f-live"));
            assertThat(deadAttempts).as("tried once more after the cool-down, then marked down again").hasValue(2);
            await().atMost(EVENTUALLY).until(() -> health2.isDown("f-dead", markedAt.plus(coolDown).plusSeconds(1)));
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void aLimitChangeReachesEveryMember() {
        RelaySet relays = RelaySet.of(RelayConfig.of("l-relay", SIM).withRate(100));
        try (var limiter1 = ClusterRateLimiter.start(member1, relays, new LocalQuotaLedger(), clock, clock::advance);
             var limiter2 = ClusterRateLimiter.start(member2, relays, new LocalQuotaLedger(), clock, clock::advance)) {
            assertThat(limiter1.share("l-relay")).isEqualTo(50);
            assertThat(limiter2.share("l-relay")).isEqualTo(50);

            limiter1.setRate("l-relay", 40);
            await().atMost(EVENTUALLY).until(() -> limiter2.share("l-relay") == 20);

            // What `coordinator relay set-rate` does: a client writes the map.
            HazelcastInstance client = factory.newHazelcastClient(
                    HazelcastConfigs.client(ClusterConfig.local("test", List.of()), Duration.ofSeconds(10)));
            try {
                client.<String, Double>getMap(ClusterRateLimiter.LIMITS_MAP).put("l-relay", 0.0);
                await().atMost(EVENTUALLY).until(() -> limiter1.share("l-relay") == 0 && limiter2.share("l-relay") == 0);
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void sharesFollowMembershipAndThreeMembersTogetherStayWithinTheLimit() throws Exception {
        double limit = 30;
        RelaySet relays = RelaySet.of(RelayConfig.of("m-relay", SIM).withRate(limit),
                RelayConfig.of("q-relay", SIM).withQuotas(100, 0));
        HazelcastInstance member3 = newMember();
        // One ledger for the cluster, as MongoDB's relay_quotas is for real nodes.
        QuotaLedger quotas = new LocalQuotaLedger();
        try (var limiter1 = ClusterRateLimiter.start(member1, relays, quotas, clock, clock::advance);
             var limiter2 = ClusterRateLimiter.start(member2, relays, quotas, clock, clock::advance);
             var limiter3 = ClusterRateLimiter.start(member3, relays, quotas, clock, clock::advance)) {
            List<ClusterRateLimiter> limiters = List.of(limiter1, limiter2, limiter3);
            await().atMost(EVENTUALLY).until(() -> limiters.stream().allMatch(l -> l.share("m-relay") == limit / 3));

            int[] perSecond = new int[5];
            Instant start = clock.instant();
            for (int ms = 0; ms < 5_000; ms++) {
                for (ClusterRateLimiter limiter : limiters) {
                    while (limiter.acquire("m-relay", 1.0, clock.instant()) == TAKEN) {
                        perSecond[ms / 1_000]++;
                    }
                }
                clock.set(start.plusMillis(ms + 1));
            }
            for (int count : perSecond) {
                assertThat(count).isBetween((int) limit - 3, (int) limit);
            }

            // An hourly quota of 100 over 3 members: 100 in all, however the members share it.
            int granted = 0;
            for (ClusterRateLimiter limiter : limiters) {
                while (limiter.hasQuota("q-relay", clock.instant()) && limiter.acquire("q-relay", 1.0, clock.instant()) == TAKEN) {
                    granted++;
                }
            }
            assertThat(granted).isEqualTo(100);

            member3.shutdown();
            await().atMost(EVENTUALLY).until(() -> limiter1.share("m-relay") == limit / 2
                    && limiter2.share("m-relay") == limit / 2);
        } finally {
            member3.shutdown();
        }
    }

    private static RelayEndpoint smtp(String host, int port) {
        return new SmtpEndpoint(SmtpConfig.of(host, port).withTls(TlsMode.NONE)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5)).withPoolSize(2));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Sender counting(Sender sender, AtomicInteger attempts) {
        return new Sender() {
            @Override
            public SendResult send(OutgoingMessage message) throws InterruptedException {
                attempts.incrementAndGet();
                return sender.send(message);
            }

            @Override
            public void close() {
                sender.close();
            }
        };
    }

    private static OutgoingMessage message(long id) {
        return new OutgoingMessage("campaign-1", SubscriberId.of(id), "news@example.com", null, "reader" + id + "@example.org", null,
                "Hello", "Hello, reader", null, null);
    }
}
