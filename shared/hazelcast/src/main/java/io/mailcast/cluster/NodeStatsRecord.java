package io.mailcast.cluster;

/**
 * One node's figures as published to the {@value #MAP_NAME} map every few seconds, keyed by node id. Stored in Compact
 * form ({@link NodeStatsRecordSerializer}), so Management Center and SQL read it without Mailcast's classes.
 *
 * @param nodeId       the member's UUID (the map key)
 * @param address      the member's {@code host:port}
 * @param sent         messages accepted by the relay since the node started
 * @param failed       recipients recorded as FAILED since start
 * @param invalid      recipients recorded as INVALID since start
 * @param retried      send attempts repeated after a transient failure
 * @param uncertain    re-sends of recipients in flight on a node that died
 * @param inFlight     sends in flight at publication
 * @param activeChunks chunks being worked on at publication
 * @param perSecond    messages sent per second over the last publication interval
 * @param updatedAt    epoch millis of publication (the node's clock)
 */
public record NodeStatsRecord(String nodeId, String address, long sent, long failed, long invalid, long retried,
                              long uncertain, int inFlight, int activeChunks, double perSecond, long updatedAt) {

    /** The IMap holding one entry per live node. */
    public static final String MAP_NAME = "node_stats";
}
