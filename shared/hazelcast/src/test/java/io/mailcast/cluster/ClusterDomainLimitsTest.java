package io.mailcast.cluster;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.core.HazelcastInstance;
import io.mailcast.sender.relay.DomainLimit;
import io.mailcast.sender.relay.DomainRates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Limits per recipient domain hold for the cluster: each member paces its share, and shares follow membership. */
class ClusterDomainLimitsTest {

    private static final Duration EVENTUALLY = Duration.ofSeconds(20);

    private final TestHazelcastFactory factory = new TestHazelcastFactory();

    @AfterEach
    void stop() {
        factory.shutdownAll();
    }

    @Test
    void membersSplitALimitAndFollowChangesAndDepartures() {
        HazelcastInstance member1 = newMember();
        HazelcastInstance member2 = newMember();
        await().atMost(EVENTUALLY).until(() -> member1.getCluster().getMembers().size() == 2);
        DomainRates rates1 = new DomainRates();
        DomainRates rates2 = new DomainRates();
        // The first member seeds gmail.com; the second's own setting does not override what the cluster has.
        try (var _ = ClusterDomainLimits.start(member1, List.of(new DomainLimit("gmail.com", 10)), rates1);
             var _ = ClusterDomainLimits.start(member2, List.of(new DomainLimit("gmail.com", 99),
                     new DomainLimit("yahoo.com", 4)), rates2)) {
            await().atMost(EVENTUALLY).until(() -> rates1.rate("gmail.com") == 5 && rates2.rate("gmail.com") == 5
                    && rates1.rate("yahoo.com") == 2 && rates2.rate("yahoo.com") == 2);

            member1.getMap(ClusterDomainLimits.MAP).put("gmail.com", 30.0);
            await().atMost(EVENTUALLY).until(() -> rates1.rate("gmail.com") == 15 && rates2.rate("gmail.com") == 15);
            member1.getMap(ClusterDomainLimits.MAP).remove("yahoo.com");
            await().atMost(EVENTUALLY).until(() -> rates1.rate("yahoo.com") == 0 && rates2.rate("yahoo.com") == 0);

            member2.getLifecycleService().terminate();
            await().atMost(EVENTUALLY).until(() -> rates1.rate("gmail.com") == 30);
        }
    }

    @Test
    void anEntryThatIsNoLimitIsIgnoredWithAWarning() {
        HazelcastInstance member = newMember();
        DomainRates rates = new DomainRates();
        try (var _ = ClusterDomainLimits.start(member, List.of(), rates)) {
            member.getMap(ClusterDomainLimits.MAP).put("not a domain", 5.0);
            member.getMap(ClusterDomainLimits.MAP).put("gmail.com", 6.0);
            await().atMost(EVENTUALLY).until(() -> rates.rate("gmail.com") == 6);
            assertThat(member.getMap(ClusterDomainLimits.MAP).size()).isEqualTo(2);
        }
    }

    private HazelcastInstance newMember() {
        return factory.newHazelcastInstance(HazelcastConfigs.member(ClusterConfig.local("domains", List.of())));
    }
}
