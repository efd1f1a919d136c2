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
import io.mailcast.sender.relay.Sleeper;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.SmtpSender;

import java.time.Clock;
import java.time.Duration;

/** Which sender a node uses: the simulator, one SMTP relay, or several relays. */
public sealed interface SenderSettings {

    Sender create();

    String describe();

    record Simulated(Duration latency, double failureRate) implements SenderSettings {
        @Override
        public Sender create() {
            return new SimulatedSender(latency, failureRate);
        }

        @Override
        public String describe() {
            return "simulated(latency=" + latency.toMillis() + "ms, failure-rate=" + failureRate + ")";
        }
    }

    record Smtp(SmtpConfig config) implements SenderSettings {
        @Override
        public Sender create() {
            return new SmtpSender(config, java.time.Clock.systemUTC());
        }

        @Override
        public String describe() {
            return "smtp(" + config + ")";
        }
    }

    record Relays(RelaySet relays) implements SenderSettings {
        /** Mark-downs, throttling and rate limits of this process alone; a node uses {@link #createClustered}. */
        @Override
        public Sender create() {
            Clock clock = Clock.systemUTC();
            return RelayRouter.create(relays, new LocalRelayHealth(relays.policy().throttling()),
                    new LocalRateLimiter(relays, clock), clock);
        }

        /** Mark-downs, throttling and rate limits shared by the cluster of {@code hazelcast} (a member). */
        public Sender createClustered(HazelcastInstance hazelcast, Clock clock) {
            RelayHealth health = HazelcastRelayHealth.start(hazelcast, relays.policy().throttling());
            try {
                return RelayRouter.create(relays, health, ClusterRateLimiter.start(hazelcast, relays, clock, Sleeper.SYSTEM),
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
