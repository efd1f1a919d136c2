package io.mailcast.cluster;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.nio.serialization.genericrecord.GenericRecord;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import io.mailcast.campaign.CampaignReactions;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkKeys;
import io.mailcast.chunk.ChunkRange;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.subscriber.Ids;
import io.mailcast.testing.Campaigns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Management Center sees: a plain client, with the cluster name and no Mailcast serializers or classes, queries
 * the chunk board and the node figures by SQL and reads a chunk as a {@link GenericRecord}.
 */
class SqlAccessTest {

    private static final long NOW = 1_700_000_000_000L;

    private static TestHazelcastFactory factory;
    private static HazelcastInstance member1;
    private static HazelcastInstance client;
    private static String clusterName;

    @BeforeAll
    static void startCluster() {
        clusterName = "sql-" + UUID.randomUUID();
        factory = new TestHazelcastFactory();
        member1 = factory.newHazelcastInstance(HazelcastConfigs.member(ClusterConfig.local(clusterName, List.of())));
        factory.newHazelcastInstance(HazelcastConfigs.member(ClusterConfig.local(clusterName, List.of())));
        SqlMappings.create(member1);
        SqlMappings.create(member1); // idempotent: every node runs it at start-up

        var board = new HazelcastChunkBoard(member1);
        board.publish(List.of(
                ChunkRecord.queued(new ChunkRange("c1", 0, Ids.closed(1, 100), 80), NOW),
                ChunkRecord.queued(new ChunkRange("c1", 1, Ids.closed(101, 200), 90), NOW),
                ChunkRecord.queued(new ChunkRange("c1", 2, Ids.closed(201, 300), 70), NOW),
                ChunkRecord.queued(new ChunkRange("c2", 0, Ids.closed(1, 100), 50), NOW)));
        ChunkRecord owned = board.claim(ChunkKeys.of("c1", 1), "node-a", NOW, 30_000).orElseThrow();
        ChunkRecord done = board.claim(ChunkKeys.of("c1", 2), "node-b", NOW, 30_000).orElseThrow();
        assertThat(board.complete(done, new ChunkCounts(65, 3, 2, 0, 0, 0))).isTrue();
        assertThat(owned.owner()).isEqualTo("node-a");

        member1.<String, NodeStatsRecord>getMap(NodeStatsRecord.MAP_NAME).set("node-a",
                new NodeStatsRecord("node-a", "127.0.0.1:5701", 1234, 5, 6, 7, 1, 12, 2, 41.5, NOW));

        var figures = new ClusterFigures(member1);
        figures.campaign(Campaigns.aCampaign().id("c1").state(CampaignState.RUNNING).eligible(240).build(),
                new CampaignReactions(3, 9, 7, 1), NOW);
        figures.campaign(Campaigns.aCampaign().id("c2").state(CampaignState.COMPLETED).eligible(50).build(),
                new CampaignReactions(0, 0, 0, 0), NOW);
        figures.apiKey("key_1", 4, 120, 2, 1, NOW);

        // What Management Center does: cluster name and address only; no serializers, no Mailcast classes.
        ClientConfig plain = new ClientConfig();
        plain.setClusterName(clusterName);
        client = factory.newHazelcastClient(plain);
    }

    @AfterAll
    static void stopCluster() {
        if (factory != null) {
            factory.shutdownAll();
        }
    }

    @Test
    void campaignReactionsAndApiKeyFiguresAreQueriedWithSql() {
        try (SqlResult result = client.getSql().execute("SELECT campaignId, state, eligible, unsubscribed, bounced, "
                + "hardBounced, complaints FROM campaign_stats WHERE hardBounced > 0")) {
            List<SqlRow> rows = new ArrayList<>();
            result.forEach(rows::add);
            assertThat(rows).singleElement().satisfies(row -> {
                assertThat(row.<String>getObject("campaignId")).isEqualTo("c1");
                assertThat(row.<String>getObject("state")).isEqualTo("RUNNING");
                assertThat(row.<Long>getObject("eligible")).isEqualTo(240L);
                assertThat(row.<Long>getObject("unsubscribed")).isEqualTo(3L);
                assertThat(row.<Long>getObject("bounced")).isEqualTo(9L);
                assertThat(row.<Long>getObject("complaints")).isEqualTo(1L);
            });
        }
        try (SqlResult result = client.getSql().execute("SELECT keyId, queued, sent, failed, cancelled FROM api_key_stats")) {
            List<SqlRow> rows = new ArrayList<>();
            result.forEach(rows::add);
            assertThat(rows).singleElement().satisfies(row -> {
                assertThat(row.<String>getObject("keyId")).isEqualTo("key_1");
                assertThat(row.<Long>getObject("queued")).isEqualTo(4L);
                assertThat(row.<Long>getObject("sent")).isEqualTo(120L);
                assertThat(row.<Long>getObject("failed")).isEqualTo(2L);
                assertThat(row.<Long>getObject("cancelled")).isEqualTo(1L);
            });
        }
    }

    @Test
    void countsChunksByStateWithSql() {
        Map<String, Long> byState = new HashMap<>();
        try (SqlResult result = client.getSql()
                .execute("SELECT state, COUNT(*) FROM chunks WHERE campaignId = ? GROUP BY state", "c1")) {
            for (SqlRow row : result) {
                byState.put(row.getObject(0), row.getObject(1));
            }
        }
        assertThat(byState).containsExactlyInAnyOrderEntriesOf(Map.of("QUEUED", 1L, "OWNED", 1L, "DONE", 1L));
    }

    @Test
    void readsEveryChunkColumnWithSql() {
        try (SqlResult result = client.getSql().execute("SELECT __key, \"index\", firstId, lastId, planned, owner, "
                + "epoch, leaseUntil, sent, failed, invalid, uncertain FROM chunks WHERE campaignId = 'c1' "
                + "ORDER BY \"index\"")) {
            List<SqlRow> rows = new ArrayList<>();
            result.forEach(rows::add);
            assertThat(rows).hasSize(3);
            SqlRow owned = rows.get(1);
            assertThat((String) owned.getObject("__key")).isEqualTo(ChunkKeys.of("c1", 1));
            assertThat((Integer) owned.getObject("index")).isEqualTo(1);
            assertThat((String) owned.getObject("firstId")).isEqualTo("101");
            assertThat((String) owned.getObject("owner")).isEqualTo("node-a");
            assertThat((Long) owned.getObject("epoch")).isEqualTo(1L);
            assertThat((Long) owned.getObject("leaseUntil")).isEqualTo(NOW + 30_000);
            SqlRow done = rows.get(2);
            assertThat((Long) done.getObject("sent")).isEqualTo(65L);
            assertThat((Long) done.getObject("failed")).isEqualTo(3L);
            assertThat((Long) done.getObject("invalid")).isEqualTo(2L);
            assertThat((String) done.getObject("owner")).isNull();
        }
        try (SqlResult result = client.getSql().execute("SELECT SUM(planned) FROM chunks WHERE campaignId = 'c1'")) {
            assertThat((Long) result.iterator().next().getObject(0)).isEqualTo(240L);
        }
    }

    @Test
    void readsNodeFiguresWithSql() {
        try (SqlResult result = client.getSql()
                .execute("SELECT nodeId, sent, address, perSecond, inFlight, updatedAt FROM node_stats")) {
            List<SqlRow> rows = new ArrayList<>();
            result.forEach(rows::add);
            assertThat(rows).hasSize(1);
            SqlRow row = rows.getFirst();
            assertThat((String) row.getObject("nodeId")).isEqualTo("node-a");
            assertThat((Long) row.getObject("sent")).isEqualTo(1234L);
            assertThat((String) row.getObject("address")).isEqualTo("127.0.0.1:5701");
            assertThat((Double) row.getObject("perSecond")).isEqualTo(41.5);
            assertThat((Integer) row.getObject("inFlight")).isEqualTo(12);
            assertThat((Long) row.getObject("updatedAt")).isEqualTo(NOW);
        }
    }

    @Test
    void readsAChunkAsGenericRecordWithoutMailcastClasses() {
        Object value = client.getMap(HazelcastChunkBoard.CHUNKS_MAP).get(ChunkKeys.of("c1", 2));
        assertThat(value).isInstanceOf(GenericRecord.class);
        GenericRecord chunk = (GenericRecord) value;
        assertThat(chunk.getString("campaignId")).isEqualTo("c1");
        assertThat(chunk.getInt32("index")).isEqualTo(2);
        assertThat(chunk.getString("state")).isEqualTo("DONE");
        assertThat(chunk.getInt64("sent")).isEqualTo(65L);

        Object stats = client.getMap(NodeStatsRecord.MAP_NAME).get("node-a");
        assertThat(stats).isInstanceOf(GenericRecord.class);
        assertThat(((GenericRecord) stats).getFloat64("perSecond")).isEqualTo(41.5);
    }

    @Test
    void membersStillReadTypedRecords() {
        assertThat(member1.<String, ChunkRecord>getMap(HazelcastChunkBoard.CHUNKS_MAP).get(ChunkKeys.of("c1", 0)))
                .isInstanceOf(ChunkRecord.class);
    }
}
