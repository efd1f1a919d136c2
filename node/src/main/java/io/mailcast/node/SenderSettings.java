package io.mailcast.node;

import com.hazelcast.core.HazelcastInstance;
import io.mailcast.cluster.ClusterRateLimiter;
import io.mailcast.cluster.HazelcastRelayHealth;
import io.mailcast.sender.Sender;
import io.mailcast.sender.SimulatedSender;
import io.mailcast.sender.relay.LocalRateLimiter;
import io.mailcast.sender.relay.LocalRelayHealth;
import io.mailcast.sender.relay.RelayHealth;
import io.mailcast.sender.relay.RelayRouter;
import io.mailcast.sender.relay.RelaySet;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.SmtpSender;
import io.mailcast.time.Sleeper;

import java.time.Clock;
import java.time.Duration;

/** Which sender a node uses: the simulator, one SMTP relay, or several relays. */
public sealed interface SenderSettings {

    /**
     * @param cluster the member's Hazelcast instance, whose maps relays share for mark-downs and rate limits; {@code null}
     *                when running alone (the benchmark baseline)
     */
    Sender create(HazelcastInstance cluster, Clock clock);

    String describe();

    record Simulated(Duration latency, double failureRate) implements SenderSettings {
        @Override
        public Sender create(HazelcastInstance cluster, Clock clock) {
            return new SimulatedSender(latency, failureRate);
        }

        @Override
        public String describe() {
            return "simulated(latency=" + latency.toMillis() + "ms, failure-rate=" + failureRate + ")";
        }
    }

    record Smtp(SmtpConfig config) implements SenderSettings {
        @Override
        public Sender create(HazelcastInstance cluster, Clock clock) {
            return new SmtpSender(config, clock);
        }

        @Override
        public String describe() {
            return "smtp(" + config + ")";
        }
    }

    record Relays(RelaySet relays) implements SenderSettings {
        /** Mark-downs, throttling and rate limits shared by the cluster, or of this process alone without one. */
        @Override
        public Sender create(HazelcastInstance cluster, Clock clock) {
            if (cluster == null) {
                return RelayRouter.create(relays, new LocalRelayHealth(relays.policy().throttling()),
                        new LocalRateLimiter(relays, clock), clock);
            }
            RelayHealth health = HazelcastRelayHealth.start(cluster, relays.policy().throttling());
            try {
                return RelayRouter.create(relays, health, ClusterRateLimiter.start(cluster, relays, clock, Sleeper.SYSTEM),
                        clock);
            } catch (RuntimeException e) {
                health.close();
                throw e;
            }
        }

        @Override
        public String describe() {
            return relays.describe();
        }
    }
}
