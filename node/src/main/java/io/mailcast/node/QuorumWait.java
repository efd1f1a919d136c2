package io.mailcast.node;

import com.hazelcast.core.HazelcastInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * With {@code --min-cluster-size}, a node that starts before its peers (sequential starts, a whole-cluster restart with
 * one slow host) waits for them instead of failing on the split-brain protection: the chunk map refuses every operation,
 * even its creation, below the quorum. Bounded only by the node's own shutdown.
 */
final class QuorumWait {

    private static final Logger log = LoggerFactory.getLogger(QuorumWait.class);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(30);

    private QuorumWait() {
    }

    static void await(HazelcastInstance hazelcast, int quorum, Clock clock) throws InterruptedException {
        int members = hazelcast.getCluster().getMembers().size();
        if (members >= quorum) {
            return;
        }
        log.info("waiting for a quorum: {} of {} members (--min-cluster-size); not ready meanwhile", members, quorum);
        long start = clock.millis();
        long nextReport = start + REPORT_EVERY.toMillis();
        while (members < quorum) {
            if (!hazelcast.getLifecycleService().isRunning()) {
                throw new IllegalStateException("the node stopped while waiting for " + quorum + " members");
            }
            Thread.sleep(POLL.toMillis());
            members = hazelcast.getCluster().getMembers().size();
            if (clock.millis() >= nextReport) {
                log.info("still waiting for a quorum after {} s: {} of {} members", (clock.millis() - start) / 1000,
                        members, quorum);
                nextReport += REPORT_EVERY.toMillis();
            }
        }
        log.info("quorum reached: {} members after {} ms", members, clock.millis() - start);
    }
}
