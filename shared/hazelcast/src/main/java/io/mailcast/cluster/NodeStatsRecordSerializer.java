package io.mailcast.cluster;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/** Compact form of a node's figures. Field names are part of the SQL mapping ({@link SqlMappings}); change them together. */
public final class NodeStatsRecordSerializer implements CompactSerializer<NodeStatsRecord> {

    public static final String TYPE_NAME = "mailcast.NodeStats";

    @Override
    public NodeStatsRecord read(CompactReader in) {
        return new NodeStatsRecord(
                in.readString("nodeId"),
                in.readString("address"),
                in.readInt64("sent"),
                in.readInt64("failed"),
                in.readInt64("invalid"),
                in.readInt64("retried"),
                in.readInt64("uncertain"),
                in.readInt32("inFlight"),
                in.readInt32("activeChunks"),
                in.readFloat64("perSecond"),
                in.readInt64("updatedAt"));
    }

    @Override
    public void write(CompactWriter out, NodeStatsRecord r) {
        out.writeString("nodeId", r.nodeId());
        out.writeString("address", r.address());
        out.writeInt64("sent", r.sent());
        out.writeInt64("failed", r.failed());
        out.writeInt64("invalid", r.invalid());
        out.writeInt64("retried", r.retried());
        out.writeInt64("uncertain", r.uncertain());
        out.writeInt32("inFlight", r.inFlight());
        out.writeInt32("activeChunks", r.activeChunks());
        out.writeFloat64("perSecond", r.perSecond());
        out.writeInt64("updatedAt", r.updatedAt());
    }

    @Override
    public String getTypeName() {
        return TYPE_NAME;
    }

    @Override
    public Class<NodeStatsRecord> getCompactClass() {
        return NodeStatsRecord.class;
    }
}
