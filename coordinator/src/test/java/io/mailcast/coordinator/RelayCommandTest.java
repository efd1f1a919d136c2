package io.mailcast.coordinator;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.mailcast.cli.CapturedRun;
import io.mailcast.cli.Cli;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.cluster.ClusterDomainLimits;
import io.mailcast.cluster.ClusterRateLimiter;
import io.mailcast.cluster.HazelcastConfigs;
import io.mailcast.cluster.HazelcastRelayHealth;
import io.mailcast.quota.LocalQuotaLedger;
import io.mailcast.sender.relay.DomainLimit;
import io.mailcast.sender.relay.DomainRates;
import io.mailcast.sender.relay.RelayConfig;
import io.mailcast.sender.relay.RelayEndpoint;
import io.mailcast.sender.relay.RelaySet;
import io.mailcast.sender.relay.Throttling;
import io.mailcast.time.Sleeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code relay set-rate} and {@code relay list} against one real member whose limiter follows the change. */
class RelayCommandTest {

    private static final RelaySet RELAYS = RelaySet.of(
            RelayConfig.of("primary", new RelayEndpoint.Simulated(Duration.ZERO, 0)).withRate(20),
            RelayConfig.of("backup", new RelayEndpoint.Simulated(Duration.ZERO, 0)));

    private static String clusterName;
    private static String members;
    private static HazelcastInstance member;
    private static ClusterRateLimiter limiter;
    private static final DomainRates domainRates = new DomainRates();
    private static ClusterDomainLimits domainLimits;

    @BeforeAll
    static void startMember() {
        clusterName = "relay-cli-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        int port = 6600 + ThreadLocalRandom.current().nextInt(300);
        members = "127.0.0.1:" + port;
        member = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(
                new ClusterConfig(clusterName, List.of(members), port, null, null, "127.0.0.1", 1)));
        limiter = ClusterRateLimiter.start(member, RELAYS, new LocalQuotaLedger(), Clock.systemUTC(), Sleeper.SYSTEM);
        domainLimits = ClusterDomainLimits.start(member, List.of(new DomainLimit("yahoo.com", 4)), domainRates);
        try (var health = HazelcastRelayHealth.start(member, Throttling.defaults())) {
            health.markDown("backup", Instant.now(), Instant.now().plus(Duration.ofMinutes(10)));
        }
    }

    @AfterAll
    static void stopMember() {
        if (member != null) {
            limiter.close();
            domainLimits.close();
            member.shutdown();
        }
    }

    @Test
    void setRateChangesTheLimitTheMembersFollow() {
        CapturedRun run = run("set-rate", "primary", "12.5");
        assertThat(run.code()).as(run.err()).isEqualTo(Cli.OK);
        assertThat(run.out()).contains("relay primary: limit 12.5/s (was 20.0/s), 12.5/s on each of 1 nodes");
        await().atMost(Duration.ofSeconds(10)).until(() -> limiter.share("primary") == 12.5);

        CapturedRun list = run("list");
        assertThat(list.code()).isEqualTo(Cli.OK);
        assertThat(list.out()).containsPattern("primary\\s+12.5/s\\s+up")
                .containsPattern("backup\\s+unlimited\\s+down until ");
    }

    @Test
    void unknownRelayAndImplausibleRateAreUserErrors() {
        CapturedRun unknown = run("set-rate", "nope", "5");
        assertThat(unknown.code()).isEqualTo(Cli.NOT_FOUND);
        assertThat(unknown.err()).contains("no relay named 'nope' in the cluster; known: [backup, primary]");

        CapturedRun tiny = run("set-rate", "primary", "0.001");
        assertThat(tiny.code()).isEqualTo(Cli.USAGE);
        assertThat(tiny.err()).contains("messages per second must be 0 (unlimited) or between 0.01");
    }

    @Test
    void setDomainRateChangesAndRemovesALimitPerRecipientDomain() {
        CapturedRun set = run("set-domain-rate", "GMail.com", "8");
        assertThat(set.code()).as(set.err()).isEqualTo(Cli.OK);
        assertThat(set.out()).contains("domain gmail.com: limit 8.0/s (was none), 8.00/s on each of 1 nodes");
        await().atMost(Duration.ofSeconds(10)).until(() -> domainRates.rate("gmail.com") == 8);
        assertThat(domainRates.rate("yahoo.com")).as("seeded by the member").isEqualTo(4);

        CapturedRun list = run("list");
        assertThat(list.out()).containsPattern("gmail.com\\s+8.0/s").containsPattern("yahoo.com\\s+4.0/s");

        CapturedRun removed = run("set-domain-rate", "gmail.com", "0");
        assertThat(removed.out()).contains("domain gmail.com: limit none (was 8.0/s)");
        await().atMost(Duration.ofSeconds(10)).until(() -> domainRates.rate("gmail.com") == 0);

        CapturedRun notADomain = run("set-domain-rate", "gmail", "5");
        assertThat(notADomain.code()).isEqualTo(Cli.USAGE);
        assertThat(notADomain.err()).contains("'gmail' is not a domain name such as gmail.com");
        CapturedRun tiny = run("set-domain-rate", "gmail.com", "0.001");
        assertThat(tiny.code()).isEqualTo(Cli.USAGE);
        assertThat(tiny.err()).contains("between 0.01");
    }

    private static CapturedRun run(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "relay";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--cluster-name";
        all[args.length + 2] = clusterName;
        all[args.length + 3] = "--members";
        all[args.length + 4] = members;
        return CliRunner.run(all);
    }
}
