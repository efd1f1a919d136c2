package io.mailcast.node;

import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static com.hazelcast.test.HazelcastTestSupport.closeConnectionBetween;
import static com.hazelcast.test.HazelcastTestSupport.suspectMember;
import static com.hazelcast.test.SplitBrainTestSupport.blockCommunicationBetween;
import static com.hazelcast.test.SplitBrainTestSupport.unblockCommunicationBetween;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hazelcast gives a member that rejoins after a split-brain merge a new UUID. A node's id must survive that: claims
 * are made and checked under it, and a node whose id vanished from the live set would see its own chunks reclaimed
 * and re-mailed while it still sends them.
 */
class NodeIdentityMergeTest {

    private final NodeCluster cluster = new NodeCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aNodeKeepsItsIdAndStaysLiveAcrossASplitAndMerge() {
        MailcastNode a = cluster.startNode(5, 10);
        MailcastNode b = cluster.startNode(5, 10);
        HazelcastInstance ha = a.hazelcast();
        HazelcastInstance hb = b.hazelcast();
        await().atMost(Duration.ofSeconds(30)).until(() -> ha.getCluster().getMembers().size() == 2);
        String idA = a.nodeId();
        String idB = b.nodeId();
        Set<UUID> uuidsBefore = Set.of(uuid(ha), uuid(hb));

        blockCommunicationBetween(ha, hb);
        closeConnectionBetween(ha, hb);
        suspectMember(ha, hb);
        suspectMember(hb, ha);
        await().atMost(Duration.ofSeconds(30)).until(() -> ha.getCluster().getMembers().size() == 1
                && hb.getCluster().getMembers().size() == 1);
        unblockCommunicationBetween(ha, hb);
        await().atMost(Duration.ofSeconds(90)).until(() -> ha.getCluster().getMembers().size() == 2
                && hb.getCluster().getMembers().size() == 2);

        assertThat(Set.of(uuid(ha), uuid(hb))).as("the merge re-identified a member (the case under test)")
                .isNotEqualTo(uuidsBefore);
        assertThat(a.nodeId()).isEqualTo(idA);
        assertThat(b.nodeId()).isEqualTo(idB);
        assertThat(a.liveMemberIds()).as("a's view after the merge").containsExactlyInAnyOrder(idA, idB);
        assertThat(b.liveMemberIds()).as("b's view after the merge").containsExactlyInAnyOrder(idA, idB);
    }

    private static UUID uuid(HazelcastInstance member) {
        return member.getCluster().getLocalMember().getUuid();
    }
}
