package io.mailcast.cluster;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.core.HazelcastInstance;
import io.mailcast.chunk.ChunkBoard;
import io.mailcast.chunk.ChunkBoardContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** The board on a two-member cluster: writes go through member 1, results are read through member 2. */
class HazelcastChunkBoardTest extends ChunkBoardContract {

    private static TestHazelcastFactory factory;
    private static HazelcastInstance member1;
    private static HazelcastInstance member2;

    @BeforeAll
    static void startCluster() {
        factory = new TestHazelcastFactory();
        member1 = factory.newHazelcastInstance(HazelcastConfigs.member(ClusterConfig.local("test", List.of())));
        member2 = factory.newHazelcastInstance(HazelcastConfigs.member(ClusterConfig.local("test", List.of())));
        await().atMost(Duration.ofSeconds(30)).until(() -> member1.getCluster().getMembers().size() == 2
                && member2.getCluster().getMembers().size() == 2);
    }

    @AfterAll
    static void stopCluster() {
        if (factory != null) {
            factory.shutdownAll();
        }
    }

    @Override
    protected ChunkBoard newBoard() {
        member1.getMap(HazelcastChunkBoard.CHUNKS_MAP).clear();
        member1.getQueue(HazelcastChunkBoard.CHUNK_QUEUE).clear();
        return new HazelcastChunkBoard(member1);
    }

    @Override
    protected ChunkBoard observerOf(ChunkBoard board) {
        return new HazelcastChunkBoard(member2);
    }

    @Override
    protected ChunkBoard boardForWorker(int worker) {
        return new HazelcastChunkBoard(worker % 2 == 0 ? member1 : member2);
    }
}
