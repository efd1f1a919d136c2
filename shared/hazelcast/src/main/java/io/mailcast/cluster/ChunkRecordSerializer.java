package io.mailcast.cluster;

import com.hazelcast.nio.serialization.FieldKind;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.SubscriberId;

/**
 * Compact form of a chunk, so Management Center and SQL read it without Mailcast's classes. Field names are part of
 * the SQL mapping; change them together. Ids are in their {@link SubscriberId#key() key} form.
 */
public final class ChunkRecordSerializer implements CompactSerializer<ChunkRecord> {

    public static final String TYPE_NAME = "mailcast.Chunk";

    @Override
    public ChunkRecord read(CompactReader in) {
        return new ChunkRecord(
                in.readString("campaignId"),
                in.readInt32("index"),
                new IdRange(SubscriberId.parse(in.readString("firstId")), in.readBoolean("firstIncluded"),
                        SubscriberId.parse(in.readString("lastId"))),
                in.readInt32("planned"),
                ChunkState.valueOf(in.readString("state")),
                in.readString("owner"),
                in.readInt64("epoch"),
                in.readInt64("leaseUntil"),
                in.readInt64("queuedAt"),
                reserved(in.readString("reservedThrough")),
                new ChunkCounts(in.readInt64("sent"), in.readInt64("failed"), in.readInt64("invalid"),
                        optional(in, "suppressed"), optional(in, "skipped"), in.readInt64("uncertain"),
                        optional(in, "unverified")));
    }

    @Override
    public void write(CompactWriter out, ChunkRecord r) {
        out.writeString("campaignId", r.campaignId());
        out.writeInt32("index", r.index());
        out.writeString("firstId", r.ids().from().key());
        out.writeBoolean("firstIncluded", r.ids().fromIncluded());
        out.writeString("lastId", r.ids().through().key());
        out.writeInt32("planned", r.planned());
        out.writeString("state", r.state().name());
        out.writeString("owner", r.owner());
        out.writeInt64("epoch", r.epoch());
        out.writeInt64("leaseUntil", r.leaseUntil());
        out.writeInt64("queuedAt", r.queuedAt());
        out.writeString("reservedThrough", r.reservedThrough() == null ? null : r.reservedThrough().key());
        out.writeInt64("sent", r.counts().sent());
        out.writeInt64("failed", r.counts().failed());
        out.writeInt64("invalid", r.counts().invalid());
        out.writeInt64("suppressed", r.counts().suppressed());
        out.writeInt64("skipped", r.counts().skipped());
        out.writeInt64("uncertain", r.counts().uncertain());
        out.writeInt64("unverified", r.counts().unverified());
    }

    private static SubscriberId reserved(String key) {
        return key == null ? ChunkRecord.NOTHING_RESERVED : SubscriberId.parse(key);
    }

    /**
     * Chunks written by a node from before suppression, de-duplication or validation (a rolling upgrade) lack these
     * fields.
     */
    private static long optional(CompactReader in, String field) {
        return in.getFieldKind(field) == FieldKind.INT64 ? in.readInt64(field) : 0;
    }

    @Override
    public String getTypeName() {
        return TYPE_NAME;
    }

    @Override
    public Class<ChunkRecord> getCompactClass() {
        return ChunkRecord.class;
    }
}
