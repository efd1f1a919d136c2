package io.mailcast.coordinator;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.mailcast.cli.Cli;
import io.mailcast.cluster.ClusterDomainLimits;
import io.mailcast.cluster.ClusterRateLimiter;
import io.mailcast.cluster.HazelcastRelayHealth;
import io.mailcast.sender.relay.DomainLimit;
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
 * {@code coordinator relay}: the relays the running nodes registered, their cluster-wide rate limits, and (in
 * {@link RelayQuotasCommand}) what their quotas have used. Limits live in the IMap
 * {@value ClusterRateLimiter#LIMITS_MAP}; nodes follow it, so a change applies while campaigns run.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Shows the relays of the running nodes and their quotas, and changes their cluster-wide rate "
                + "limits, per relay and per recipient domain.",
        subcommands = {RelayCommand.SetRate.class, RelayCommand.SetDomainRate.class, RelayCommand.ListRelays.class,
                RelayQuotasCommand.class})
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

    @Command(name = "set-domain-rate", mixinStandardHelpOptions = true,
            description = "Sets the cluster-wide limit on sends to one recipient domain, whichever relay carries them "
                    + "(0 removes it); running nodes apply it to their next send, each taking an equal share.")
    static final class SetDomainRate implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Parameters(index = "0", paramLabel = "DOMAIN", description = "Recipient domain, e.g. gmail.com")
        String domain;

        @Parameters(index = "1", paramLabel = "PER_SECOND", description = "Messages per second for the whole cluster; 0 = no limit")
        double perSecond;

        @Override
        public Integer call() {
            String name = DomainLimit.normalize(domain);
            if (perSecond != 0) {
                new DomainLimit(name, perSecond); // validates before touching the cluster
            }
            HazelcastInstance client = connection.cluster();
            try {
                IMap<String, Double> limits = client.getMap(ClusterDomainLimits.MAP);
                Double previous = perSecond == 0 ? limits.remove(name) : limits.put(name, perSecond);
                int members = client.getCluster().getMembers().size();
                System.out.println("domain " + name + ": limit " + (perSecond == 0 ? "none" : perSecond + "/s")
                        + " (was " + (previous == null ? "none" : previous + "/s") + ")"
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
                Map<String, Double> domains = new TreeMap<>(client.<String, Double>getMap(ClusterDomainLimits.MAP));
                if (limits.isEmpty()) {
                    System.out.println("no relays registered: no node with --sender smtp or relays has started");
                } else {
                    long now = Instant.now().toEpochMilli();
                    System.out.printf("%-24s %12s  %s%n", "RELAY", "LIMIT", "STATE");
                    limits.forEach((name, limit) -> System.out.printf("%-24s %12s  %s%n", name, rate(limit),
                            state(health.getOrDefault(name, RelayCondition.HEALTHY), now)));
                }
                if (!domains.isEmpty()) {
                    System.out.printf("%n%-24s %12s%n", "DOMAIN", "LIMIT");
                    domains.forEach((name, limit) -> System.out.printf("%-24s %12s%n", name, rate(limit)));
                }
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
