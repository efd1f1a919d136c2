package io.mailcast.node;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.cluster.HazelcastConfigs;
import io.mailcast.cluster.NodeStatsRecord;
import io.mailcast.engine.NodeStats;
import io.mailcast.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StatsPublisherTest {

    private TestHazelcastFactory factory;
    private HazelcastInstance member;
    private IMap<String, NodeStatsRecord> map;
    private final SettableClock clock = new SettableClock();
    private final NodeStats stats = new NodeStats();

    @BeforeEach
    void start() {
        factory = new TestHazelcastFactory();
        member = factory.newHazelcastInstance(HazelcastConfigs.member(ClusterConfig.local("stats", List.of())));
        map = member.getMap(NodeStatsRecord.MAP_NAME);
    }

    @AfterEach
    void stop() {
        factory.shutdownAll();
    }

    @Test
    void publishesTotalsAndTheRateOverTheLastInterval() {
        var publisher = new StatsPublisher(member, "node-1", stats, () -> 7, () -> 2, clock, Duration.ofHours(1));
        stats.sent.add(100);
        stats.failed.add(3);
        stats.retried.add(4);

        NodeStatsRecord first = publisher.publishNow();
        assertThat(first.perSecond()).isZero();
        assertThat(first.sent()).isEqualTo(100);
        assertThat(first.updatedAt()).isEqualTo(clock.millis());
        assertThat(first.inFlight()).isEqualTo(7);
        assertThat(first.activeChunks()).isEqualTo(2);
        assertThat(first.address()).contains(":");

        stats.sent.add(50);
        clock.advance(Duration.ofSeconds(5));
        NodeStatsRecord second = publisher.publishNow();
        assertThat(second.perSecond()).isEqualTo(10.0);
        assertThat(second.updatedAt()).isEqualTo(clock.millis());
        assertThat(map.get("node-1")).isEqualTo(second);

        publisher.close();
        assertThat(map.containsKey("node-1")).isFalse();
    }

    @Test
    void keepsPublishingAfterAFailure() {
        AtomicInteger calls = new AtomicInteger();
        var publisher = new StatsPublisher(member, "node-2", stats, () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return 1;
        }, () -> 0, clock, Duration.ofMillis(50)).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> map.containsKey("node-2"));
            assertThat(calls.get()).isGreaterThan(1);
        } finally {
            publisher.close();
        }
        assertThat(map.containsKey("node-2")).isFalse();
    }
}
