package io.mailcast.node;

import com.hazelcast.core.HazelcastInstance;
import io.mailcast.cluster.ClusterRateLimiter;
import io.mailcast.cluster.HazelcastRelayHealth;
import io.mailcast.quota.LocalQuotaLedger;
import io.mailcast.quota.QuotaLedger;
import io.mailcast.sender.Sender;
import io.mailcast.sender.SimulatedSender;
import io.mailcast.sender.relay.LocalRateLimiter;
import io.mailcast.sender.relay.LocalRelayHealth;
import io.mailcast.sender.relay.RateLimiter;
import io.mailcast.sender.relay.RelayConfig;
import io.mailcast.sender.relay.RelayHealth;
import io.mailcast.sender.relay.RelayRouter;
import io.mailcast.sender.relay.RelaySet;
import io.mailcast.sender.relay.RoutingPolicy;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.SmtpEndpoint;
import io.mailcast.time.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Which sender a node uses: the simulator, one SMTP relay, or several relays. */
public sealed interface SenderSettings {

    /**
     * @param cluster the member's Hazelcast instance, whose maps relays share for mark-downs and rate limits; {@code null}
     *                when running alone (the benchmark baseline)
     */
    Sender create(HazelcastInstance cluster, QuotaLedger quotas, Clock clock, Sleeper sleeper);

    /** A sender of this process alone (no cluster): relay quotas counted in memory. */
    default Sender create(HazelcastInstance cluster, Clock clock, Sleeper sleeper) {
        if (cluster != null) {
            throw new IllegalArgumentException("relays in a cluster count their quotas in the cluster's ledger: "
                    + "use create(cluster, quotas, clock, sleeper)");
        }
        return create(null, new LocalQuotaLedger(), clock, sleeper);
    }

    /** As above, waiting in real time. */
    default Sender create(HazelcastInstance cluster, Clock clock) {
        return create(cluster, clock, Sleeper.SYSTEM);
    }

    String describe();

    record Simulated(Duration latency, double failureRate) implements SenderSettings {
        @Override
        public Sender create(HazelcastInstance cluster, QuotaLedger quotas, Clock clock, Sleeper sleeper) {
            return new SimulatedSender(latency, failureRate);
        }

        @Override
        public String describe() {
            return "simulated(latency=" + latency.toMillis() + "ms, failure-rate=" + failureRate + ")";
        }
    }

    /**
     * One SMTP relay, sent through as a relay set of one: the same pacing, cluster-wide rate limit, quotas, slow-down
     * on throttling replies, mark-down and metrics as {@link Relays}.
     *
     * @param messagesPerSecond cluster-wide limit, 0 for none
     * @param perHour           cluster-wide messages per UTC hour, 0 for no quota
     * @param perDay            cluster-wide messages per UTC day, 0 for no quota
     * @param coolDown          how long the relay rests after it failed; sends wait meanwhile instead of failing
     */
    record Smtp(SmtpConfig config, double messagesPerSecond, long perHour, long perDay, Duration coolDown)
            implements SenderSettings {

        /** Short, since there is no other relay to fail over to: sends wait out the cool-down. */
        public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(30);

        public Smtp {
            relaySet(config, messagesPerSecond, perHour, perDay, coolDown); // validates once, with the relays' rules
        }

        /** No limits, the default cool-down. */
        public Smtp(SmtpConfig config) {
            this(config, 0, 0, 0, DEFAULT_COOL_DOWN);
        }

        public RelaySet relaySet() {
            return relaySet(config, messagesPerSecond, perHour, perDay, coolDown);
        }

        private static RelaySet relaySet(SmtpConfig config, double messagesPerSecond, long perHour, long perDay,
                                         Duration coolDown) {
            RelayConfig relay = new RelayConfig(config.name(), new SmtpEndpoint(config), 1, messagesPerSecond, perHour,
                    perDay);
            return new RelaySet(List.of(relay), RoutingPolicy.defaults().withCoolDown(coolDown));
        }

        @Override
        public Sender create(HazelcastInstance cluster, QuotaLedger quotas, Clock clock, Sleeper sleeper) {
            return new Relays(relaySet()).create(cluster, quotas, clock, sleeper);
        }

        @Override
        public String describe() {
            return "smtp(" + config + (messagesPerSecond == 0 ? "" : " rate=" + messagesPerSecond + "/s")
                    + (perHour == 0 ? "" : " per-hour=" + perHour) + (perDay == 0 ? "" : " per-day=" + perDay)
                    + " cool-down=" + coolDown.toSeconds() + "s)";
        }
    }

    record Relays(RelaySet relays) implements SenderSettings {
        /**
         * Mark-downs, throttling and rate limits shared by the cluster, or of this process alone without one; quotas
         * counted in {@code quotas} either way.
         */
        @Override
        public Sender create(HazelcastInstance cluster, QuotaLedger quotas, Clock clock, Sleeper sleeper) {
            if (cluster == null) {
                return router(new LocalRelayHealth(relays.policy().throttling()),
                        new LocalRateLimiter(relays, quotas, clock, sleeper), clock, sleeper);
            }
            RelayHealth health = HazelcastRelayHealth.start(cluster, relays.policy().throttling());
            try {
                return router(health, ClusterRateLimiter.start(cluster, relays, quotas, clock, sleeper), clock, sleeper);
            } catch (RuntimeException e) {
                health.close();
                throw e;
            }
        }

        private RelayRouter router(RelayHealth health, RateLimiter limiter, Clock clock, Sleeper sleeper) {
            return new RelayRouter(relays, relay -> relay.endpoint().create(relay.name(), clock), health, limiter, clock,
                    sleeper);
        }

        @Override
        public String describe() {
            return relays.describe();
        }
    }
}
