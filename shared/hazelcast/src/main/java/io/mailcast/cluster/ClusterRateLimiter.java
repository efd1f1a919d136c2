package io.mailcast.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.mailcast.quota.QuotaLedger;
import io.mailcast.sender.relay.LocalRateLimiter;
import io.mailcast.sender.relay.RateLimiter;
import io.mailcast.sender.relay.RelayConfig;
import io.mailcast.sender.relay.RelaySet;
import io.mailcast.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cluster-wide rate limits without a central counter: each member enforces limit / members locally (spaced sends, no
 * bursts), so the members together never go faster than the limit. Shares are recomputed when a member joins or
 * leaves. A member that joins gets its share at once while the others learn of it a moment later, so for that moment
 * the sum can exceed the limit by one share; a member that leaves frees its share late instead, which is safe.
 *
 * <p>Hourly and daily quotas are not shared out: a member splitting them by the member count would forget them at a
 * restart and overshoot when members change. They are drawn from the durable, cluster-wide {@link QuotaLedger}.
 *
 * <p>Limits live in the IMap {@value #LIMITS_MAP} (relay name → messages per second, 0 = none): each member seeds it
 * from its relays file when the entry is missing, and follows changes through an entry listener, so
 * {@code coordinator relay set-rate} changes a limit while a campaign runs. Quota caps come from the relays file.
 */
public final class ClusterRateLimiter implements RateLimiter {

    public static final String LIMITS_MAP = "relay-limits";

    private static final Logger log = LoggerFactory.getLogger(ClusterRateLimiter.class);

    private final HazelcastInstance hazelcast;
    private final RelaySet relays;
    private final LocalRateLimiter local;
    private final IMap<String, Double> limits;
    private final Map<String, Double> clusterLimits = new ConcurrentHashMap<>();
    private int members;
    private UUID limitListener;
    private UUID membershipListener;

    private ClusterRateLimiter(HazelcastInstance hazelcast, RelaySet relays, QuotaLedger quotas, Clock clock,
                               Sleeper sleeper) {
        this.hazelcast = hazelcast;
        this.relays = relays;
        this.local = new LocalRateLimiter(relays, quotas, clock, sleeper);
        this.limits = hazelcast.getMap(LIMITS_MAP);
        this.members = hazelcast.getCluster().getMembers().size();
    }

    /**
     * Seeds and follows {@value #LIMITS_MAP} for {@code relays} on a member, with quotas counted in {@code quotas} (the
     * cluster's durable ledger); {@link #close()} stops following and gives unspent quota back.
     */
    public static ClusterRateLimiter start(HazelcastInstance hazelcast, RelaySet relays, QuotaLedger quotas, Clock clock,
                                           Sleeper sleeper) {
        ClusterRateLimiter limiter = new ClusterRateLimiter(hazelcast, relays, quotas, clock, sleeper);
        limiter.listen();
        return limiter;
    }

    private void listen() {
        limitListener = limits.addEntryListener(new EntryChanges<String, Double>(this::limitEntry), true);
        membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                membersChanged(event.getMembers());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                membersChanged(event.getMembers());
            }
        });
        for (RelayConfig relay : relays.relays()) {
            Double current = limits.putIfAbsent(relay.name(), relay.messagesPerSecond());
            clusterLimits.putIfAbsent(relay.name(), current != null ? current : relay.messagesPerSecond());
        }
        membersChanged(hazelcast.getCluster().getMembers());
    }

    @Override
    public boolean hasQuota(String relay, Instant now) {
        return local.hasQuota(relay, now);
    }

    @Override
    public Instant quotaRenewsAt(String relay, Instant now) {
        return local.quotaRenewsAt(relay, now);
    }

    @Override
    public Slot acquire(String relay, double factor, boolean urgent, Instant deadline) throws InterruptedException {
        return local.acquire(relay, factor, urgent, deadline);
    }

    /** Sets the cluster-wide limit of {@code relay}; every member picks up its new share. */
    @Override
    public void setRate(String relay, double messagesPerSecond) {
        relays.get(relay);
        RelayConfig.checkRate(relay, messagesPerSecond);
        limits.put(relay, messagesPerSecond);
        limitChanged(relay, messagesPerSecond);
    }

    /** The cluster-wide limit this member follows for {@code relay}, messages per second, 0 for none. */
    public double clusterLimit(String relay) {
        relays.get(relay);
        return clusterLimits.get(relay);
    }

    /** This member's share of the limit of {@code relay}, messages per second, 0 for none. */
    public double share(String relay) {
        return local.rate(relay);
    }

    private synchronized void membersChanged(Set<Member> current) {
        members = Math.max(1, current.size());
        for (RelayConfig relay : relays.relays()) {
            local.setRate(relay.name(), clusterLimits.get(relay.name()) / members);
        }
        log.debug("relay limits shared by {} members", members);
    }

    private synchronized void limitChanged(String relay, double messagesPerSecond) {
        Double previous = clusterLimits.put(relay, messagesPerSecond);
        local.setRate(relay, messagesPerSecond / members);
        if (previous == null || previous != messagesPerSecond) {
            log.info("relay {} limit is now {} (this node: {}/s of {} members)", relay,
                    messagesPerSecond == 0 ? "unlimited" : messagesPerSecond + "/s", messagesPerSecond / members, members);
        }
    }

    /**
     * Gives unspent quota back, then stops following limits and membership (nothing to do there when the member has
     * already left the cluster: a node shuts Hazelcast down before its sender, while the ledger is still reachable).
     */
    @Override
    public void close() {
        local.close();
        if (!hazelcast.getLifecycleService().isRunning()) {
            return;
        }
        limits.removeEntryListener(limitListener);
        hazelcast.getCluster().removeMembershipListener(membershipListener);
    }

    /** A change of the limits map: a removed entry falls back to the relays file's limit. */
    private void limitEntry(String relay, Double messagesPerSecond) {
        if (messagesPerSecond == null) {
            relays.find(relay).ifPresent(r -> limitChanged(r.name(), r.messagesPerSecond()));
            return;
        }
        if (relays.find(relay).isEmpty()) {
            return; // a relay another node's file has and this one's does not
        }
        try {
            RelayConfig.checkRate(relay, messagesPerSecond);
        } catch (IllegalArgumentException e) {
            log.warn("ignoring the limit in {}: {}", LIMITS_MAP, e.getMessage());
            return;
        }
        limitChanged(relay, messagesPerSecond);
    }
}
