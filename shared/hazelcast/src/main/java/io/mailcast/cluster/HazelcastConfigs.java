package io.mailcast.cluster;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.IndexConfig;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;

import java.time.Duration;

/**
 * Member and client configuration in one place, so both agree on names and serialization. The choices:
 * <ul>
 *   <li>multicast off; TCP-IP member lists, or Kubernetes DNS discovery on a headless service;</li>
 *   <li>one synchronous backup for the chunk map and the hand-out queue: losing one member loses no chunk state;</li>
 *   <li>Hazelcast's own shutdown hook off: the node's hook stops claiming, drains and hands back first, then leaves;</li>
 *   <li>failure detection within about {@value #NO_HEARTBEAT_SECONDS} s instead of the default 60 s, so a dead
 *       node's chunks are reclaimed quickly (its lease is the second line of defence);</li>
 *   <li>Jet enabled with {@value #JET_COOPERATIVE_THREADS} cooperative threads, only so SQL (Management Center's SQL
 *       browser, {@link SqlMappings}) works; Compact values so plain clients read them without Mailcast's classes.</li>
 * </ul>
 */
public final class HazelcastConfigs {

    static final int NO_HEARTBEAT_SECONDS = 10;
    private static final String SPLIT_BRAIN_PROTECTION = "mailcast-majority";
    /** A node rewrites its {@code node_stats} entry every few seconds; one silent this long is dropped. */
    static final int NODE_STATS_TTL_SECONDS = 60;
    static final int JET_COOPERATIVE_THREADS = 2;

    private HazelcastConfigs() {
    }

    public static Config member(ClusterConfig cluster) {
        Config config = new Config();
        config.setClusterName(cluster.clusterName());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(NO_HEARTBEAT_SECONDS));
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        // Look for the other side of a healed partition every 10 s (default: after 300 s, then every 120 s), so the
        // halves merge, and board and store agree again, soon after the network is back.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");

        var network = config.getNetworkConfig();
        network.setPort(cluster.port()).setPortAutoIncrement(true);
        if (cluster.publicAddress() != null) {
            network.setPublicAddress(cluster.publicAddress());
        }
        if (cluster.bindInterface() != null) {
            network.getInterfaces().setEnabled(true).addInterface(cluster.bindInterface());
            config.setProperty("hazelcast.socket.bind.any", "false");
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (cluster.kubernetesServiceDns() != null) {
            join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cluster.kubernetesServiceDns());
        } else {
            var tcp = join.getTcpIpConfig().setEnabled(true);
            cluster.members().forEach(tcp::addMember);
        }

        // Send chunks and validation chunks: two boards of the same kind, configured alike.
        boards(config, cluster, HazelcastChunkBoard.CHUNKS_MAP, HazelcastChunkBoard.CHUNK_QUEUE);
        boards(config, cluster, HazelcastChunkBoard.VALIDATION_CHUNKS_MAP, HazelcastChunkBoard.VALIDATION_QUEUE);
        // One entry per node, rewritten every few seconds; a crashed node's entry expires instead of lingering.
        config.addMapConfig(new MapConfig(NodeStatsRecord.MAP_NAME)
                .setBackupCount(1)
                .setTimeToLiveSeconds(NODE_STATS_TTL_SECONDS));
        // Jet only for SQL (Management Center's SQL browser, SqlMappings); Mailcast runs no jobs, so few threads.
        config.getJetConfig().setEnabled(true).setCooperativeThreadCount(JET_COOPERATIVE_THREADS);
        registerSerializers(config.getSerializationConfig());
        return config;
    }

    public static ClientConfig client(ClusterConfig cluster, Duration connectTimeout) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(cluster.clusterName());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        var network = config.getNetworkConfig();
        if (cluster.kubernetesServiceDns() != null) {
            network.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cluster.kubernetesServiceDns());
        } else if (cluster.members().isEmpty()) {
            network.addAddress("127.0.0.1:" + cluster.port());
        } else {
            cluster.members().forEach(network::addAddress);
        }
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(connectTimeout.toMillis())
                .setInitialBackoffMillis(200)
                .setMaxBackoffMillis(2_000);
        registerSerializers(config.getSerializationConfig());
        return config;
    }

    private static void boards(Config config, ClusterConfig cluster, String mapName, String queueName) {
        MapConfig chunks = new MapConfig(mapName)
                .setBackupCount(1)
                .setInMemoryFormat(InMemoryFormat.BINARY)
                .addIndexConfig(new IndexConfig(IndexType.HASH, "campaignId"));
        chunks.getMergePolicyConfig().setPolicy(ChunkMergePolicy.class.getName());
        QueueConfig queue = new QueueConfig(queueName).setBackupCount(1);
        if (cluster.minClusterSize() > 1) {
            // The minority side of a partition gets SplitBrainProtectionException on chunk operations instead of
            // claiming chunks the majority also works on (detected within the heartbeat timeout).
            config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(SPLIT_BRAIN_PROTECTION, true,
                    cluster.minClusterSize()));
            chunks.setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION);
            queue.setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION);
        }
        config.addMapConfig(chunks);
        config.addQueueConfig(queue);
    }

    private static void registerSerializers(SerializationConfig serialization) {
        serialization.getCompactSerializationConfig()
                .addSerializer(new ChunkRecordSerializer())
                .addSerializer(new NodeStatsRecordSerializer());
    }
}
