package io.mailcast.coordinator;

import com.hazelcast.core.HazelcastInstance;
import io.mailcast.cluster.NodeStatsRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Each node's published figures (the {@code node_stats} map), for the per-node lines of {@code status}. */
public class NodeFigures implements AutoCloseable {

    static final NodeFigures NONE = new NodeFigures(null, null);

    private final HazelcastInstance client;
    private final String unavailable;

    private NodeFigures(HazelcastInstance client, String unavailable) {
        this.client = client;
        this.unavailable = unavailable;
    }

    /** Connects to the cluster; when it cannot, the per-node section says so instead of failing the command. */
    static NodeFigures connect(ConnectionOptions connection) {
        try {
            return new NodeFigures(connection.cluster(), null);
        } catch (RuntimeException e) {
            return new NodeFigures(null, "per-node figures unavailable: no cluster at " + connection.members);
        }
    }

    /** The figures, busiest first; empty when not asked for. */
    Result read() {
        if (client == null) {
            return new Result(List.of(), unavailable);
        }
        try {
            List<NodeStatsRecord> nodes = client.<String, NodeStatsRecord>getMap(NodeStatsRecord.MAP_NAME).values().stream()
                    .sorted(Comparator.comparingLong(NodeStatsRecord::sent).reversed()).toList();
            return new Result(nodes, null);
        } catch (RuntimeException e) {
            return new Result(List.of(), "per-node figures unavailable: " + e.getMessage());
        }
    }

    /**
     * The figures once every node has published after {@code since} (nodes publish every 5 s), or as they are after
     * {@code maxWait}: a node that left publishes no more.
     */
    Result settled(Instant since, Duration maxWait, Duration poll) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        Result result = read();
        while (!result.allAfter(since) && System.nanoTime() < deadline) {
            Thread.sleep(poll.toMillis());
            result = read();
        }
        return result;
    }

    public record Result(List<NodeStatsRecord> nodes, String note) {
        public static final Result EMPTY = new Result(List.of(), null);

        boolean allAfter(Instant since) {
            return nodes.stream().allMatch(n -> n.updatedAt() >= since.toEpochMilli());
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.shutdown();
        }
    }
}
