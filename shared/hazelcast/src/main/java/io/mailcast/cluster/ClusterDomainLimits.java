package io.mailcast.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.mailcast.sender.relay.DomainLimit;
import io.mailcast.sender.relay.DomainRates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cluster-wide limits per recipient domain, shared like the relays' rate limits: each member paces its share
 * (limit ÷ members) of every limit in the IMap {@value #MAP} (domain → messages per second). A member seeds the map
 * with its configured limits where a domain has none yet, and follows every change, so
 * {@code coordinator relay set-domain-rate} changes or removes a limit while campaigns run.
 */
public final class ClusterDomainLimits implements AutoCloseable {

    public static final String MAP = "domain-limits";

    private static final Logger log = LoggerFactory.getLogger(ClusterDomainLimits.class);

    private final HazelcastInstance hazelcast;
    private final DomainRates rates;
    private final IMap<String, Double> limits;
    private final Map<String, Double> clusterLimits = new ConcurrentHashMap<>();
    private int members;
    private UUID limitListener;
    private UUID membershipListener;

    private ClusterDomainLimits(HazelcastInstance hazelcast, DomainRates rates) {
        this.hazelcast = hazelcast;
        this.rates = rates;
        this.limits = hazelcast.getMap(MAP);
        this.members = Math.max(1, hazelcast.getCluster().getMembers().size());
    }

    /** Seeds {@value #MAP} with {@code configured} and keeps {@code rates} at this member's share of every limit. */
    public static ClusterDomainLimits start(HazelcastInstance hazelcast, List<DomainLimit> configured, DomainRates rates) {
        ClusterDomainLimits limits = new ClusterDomainLimits(hazelcast, rates);
        limits.listen(configured);
        return limits;
    }

    private void listen(List<DomainLimit> configured) {
        limitListener = limits.addEntryListener(new EntryChanges<String, Double>(this::limitChanged), true);
        membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                membersChanged(event.getMembers().size());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                membersChanged(event.getMembers().size());
            }
        });
        for (DomainLimit limit : configured) {
            limits.putIfAbsent(limit.domain(), limit.messagesPerSecond());
        }
        limits.forEach(this::limitChanged);
    }

    private synchronized void membersChanged(int count) {
        members = Math.max(1, count);
        clusterLimits.forEach((domain, limit) -> rates.set(domain, limit / members));
    }

    private synchronized void limitChanged(String domain, Double messagesPerSecond) {
        String key;
        try {
            key = DomainLimit.normalize(domain);
            if (messagesPerSecond != null) {
                new DomainLimit(key, messagesPerSecond);
            }
        } catch (IllegalArgumentException e) {
            log.warn("ignoring the entry {} in {}: {}", domain, MAP, e.getMessage());
            return;
        }
        Double previous = messagesPerSecond == null ? clusterLimits.remove(key) : clusterLimits.put(key, messagesPerSecond);
        rates.set(key, messagesPerSecond == null ? 0 : messagesPerSecond / members);
        if (previous == null ? messagesPerSecond != null : !previous.equals(messagesPerSecond)) {
            log.info("domain {} limit is now {} (this node: {}/s of {} members)", key,
                    messagesPerSecond == null ? "none" : messagesPerSecond + "/s",
                    messagesPerSecond == null ? 0 : messagesPerSecond / members, members);
        }
    }

    /** Stops following limits and membership; nothing to do once the member has left. */
    @Override
    public void close() {
        if (!hazelcast.getLifecycleService().isRunning()) {
            return;
        }
        limits.removeEntryListener(limitListener);
        hazelcast.getCluster().removeMembershipListener(membershipListener);
    }
}
