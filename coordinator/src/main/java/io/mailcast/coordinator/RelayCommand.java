package io.mailcast.coordinator;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.mailcast.cli.Cli;
import io.mailcast.cluster.ClusterRateLimiter;
import io.mailcast.cluster.HazelcastRelayHealth;
import io.mailcast.sender.relay.RelayCondition;
import io.mailcast.sender.relay.RelayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code coordinator relay}: the relays the running nodes registered, and their cluster-wide rate limits. Limits live in
 * the IMap {@value ClusterRateLimiter#LIMITS_MAP}; nodes follow it, so a change applies while campaigns run.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Shows the relays of the running nodes and changes their cluster-wide rate limits.",
        subcommands = {RelayCommand.SetRate.class, RelayCommand.ListRelays.class})
public final class RelayCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "set-rate", mixinStandardHelpOptions = true,
            description = "Sets a relay's cluster-wide limit in messages per second (0 = unlimited); running nodes "
                    + "apply it to their next send, each taking an equal share.")
    static final class SetRate implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Parameters(index = "0", paramLabel = "NAME", description = "Relay name, as in the nodes' relays file")
        String name;

        @Parameters(index = "1", paramLabel = "PER_SECOND", description = "Messages per second for the whole cluster; 0 = unlimited")
        double perSecond;

        @Override
        public Integer call() {
            RelayConfig.checkRate(name, perSecond);
            HazelcastInstance client = connection.cluster();
            try {
                IMap<String, Double> limits = client.getMap(ClusterRateLimiter.LIMITS_MAP);
                Double previous = limits.get(name);
                if (previous == null) {
                    throw new Cli.NotFoundException("no relay named '" + name + "' in the cluster; known: "
                            + new TreeMap<>(limits).keySet() + " (nodes register their relays when they start)");
                }
                limits.put(name, perSecond);
                int members = client.getCluster().getMembers().size();
                System.out.println("relay " + name + ": limit " + rate(perSecond) + " (was " + rate(previous) + ")"
                        + (perSecond > 0 ? ", " + String.format("%.3g", perSecond / members) + "/s on each of "
                        + members + " nodes" : ""));
                return Cli.OK;
            } finally {
                client.shutdown();
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the relays with their cluster-wide limits and whether they are marked down or throttled.")
    static final class ListRelays implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            HazelcastInstance client = connection.cluster();
            try {
                Map<String, Double> limits = new TreeMap<>(client.<String, Double>getMap(ClusterRateLimiter.LIMITS_MAP));
                Map<String, RelayCondition> health = Map.copyOf(client.<String, RelayCondition>getMap(HazelcastRelayHealth.MAP));
                if (limits.isEmpty()) {
                    System.out.println("no relays registered: no node with --sender relays has started");
                    return Cli.OK;
                }
                long now = Instant.now().toEpochMilli();
                System.out.printf("%-24s %12s  %s%n", "RELAY", "LIMIT", "STATE");
                limits.forEach((name, limit) -> System.out.printf("%-24s %12s  %s%n", name, rate(limit),
                        state(health.getOrDefault(name, RelayCondition.HEALTHY), now)));
                return Cli.OK;
            } finally {
                client.shutdown();
            }
        }

        private static String state(RelayCondition condition, long now) {
            String state = condition.isDownAt(now)
                    ? "down until " + Instant.ofEpochMilli(condition.downUntilMillis()) : "up";
            if (condition.factor() < 1) {
                // Only the last halving is stored; nodes double the rate back per quiet period from there.
                state += ", last slowed to " + Math.round(condition.factor() * 1000) / 10.0 + "% at "
                        + Instant.ofEpochMilli(condition.factorSinceMillis());
            }
            return state;
        }
    }

    private static String rate(double perSecond) {
        return perSecond == 0 ? "unlimited" : perSecond + "/s";
    }
}
