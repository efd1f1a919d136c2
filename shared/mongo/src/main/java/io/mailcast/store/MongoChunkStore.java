package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.chunk.ChunkStore;
import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.SubscriberId;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Chunk progress in MongoDB; every node write is fenced by the epoch of its claim. */
public final class MongoChunkStore implements ChunkStore {

    private final MongoCollection<Document> chunks;

    /** Send chunks, in {@code chunks}. */
    public MongoChunkStore(MongoConnection mongo) {
        this(mongo, Collections.CHUNKS);
    }

    private MongoChunkStore(MongoConnection mongo, String collection) {
        this.chunks = mongo.database().getCollection(collection);
    }

    /** Validation jobs' chunks, in {@code validation_chunks}: the same machinery, kept apart from send chunks. */
    public static MongoChunkStore forValidation(MongoConnection mongo) {
        return new MongoChunkStore(mongo, Collections.VALIDATION_CHUNKS);
    }

    @Override
    public void insertAll(Collection<ChunkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        InsertOnce.insertAll(chunks, records.stream().map(MongoChunkStore::toDocument).toList());
    }

    @Override
    public void deleteCampaign(String campaignId) {
        chunks.deleteMany(Filters.eq("campaignId", campaignId));
    }

    @Override
    public List<ChunkRecord> load(String campaignId) {
        return chunks.find(Filters.eq("campaignId", campaignId)).sort(Sorts.ascending("index"))
                .map(MongoChunkStore::fromDocument).into(new ArrayList<>());
    }

    @Override
    public Optional<ChunkRecord> find(String key) {
        return Optional.ofNullable(chunks.find(Filters.eq("_id", key)).first()).map(MongoChunkStore::fromDocument);
    }

    @Override
    public Optional<ChunkRecord> claimed(ChunkRecord claimed) {
        return Optional.ofNullable(chunks.findOneAndUpdate(
                Filters.and(Filters.eq("_id", claimed.key()), Filters.lt("epoch", claimed.epoch()),
                        Filters.ne("state", ChunkState.DONE.name())),
                Updates.combine(Updates.set("state", ChunkState.OWNED.name()), Updates.set("owner", claimed.owner()),
                        Updates.set("epoch", claimed.epoch())),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))).map(MongoChunkStore::fromDocument);
    }

    @Override
    public boolean checkpoint(ChunkRecord held, SubscriberId reserveThrough, ChunkCounts counts) {
        return fenced(held, Updates.combine(Updates.max("reservedThrough", BsonIds.toStored(reserveThrough)), counts(counts)));
    }

    @Override
    public boolean completed(ChunkRecord held, ChunkCounts counts) {
        return fenced(held, Updates.combine(Updates.set("state", ChunkState.DONE.name()), Updates.set("owner", null),
                Updates.set("reservedThrough", ChunkRecord.NOTHING_RESERVED), counts(counts)));
    }

    @Override
    public boolean released(ChunkRecord held, ChunkCounts counts) {
        return fenced(held, Updates.combine(Updates.set("state", ChunkState.QUEUED.name()), Updates.set("owner", null),
                Updates.set("reservedThrough", ChunkRecord.NOTHING_RESERVED), counts(counts)));
    }

    @Override
    public void repairDone(ChunkRecord done) {
        chunks.updateOne(Filters.and(Filters.eq("_id", done.key()), Filters.ne("state", ChunkState.DONE.name())),
                Updates.combine(Updates.set("state", ChunkState.DONE.name()), Updates.set("owner", null),
                        Updates.max("epoch", done.epoch()),
                        Updates.set("reservedThrough", ChunkRecord.NOTHING_RESERVED), counts(done.counts())));
    }

    @Override
    public boolean reopened(ChunkRecord done) {
        return chunks.updateOne(Filters.and(Filters.eq("_id", done.key()), Filters.eq("state", ChunkState.DONE.name())),
                Updates.combine(Updates.set("state", ChunkState.QUEUED.name()),
                        Updates.set("reservedThrough", ChunkRecord.NOTHING_RESERVED))).getMatchedCount() == 1;
    }

    private boolean fenced(ChunkRecord held, Bson update) {
        return chunks.updateOne(Filters.and(Filters.eq("_id", held.key()), Filters.eq("epoch", held.epoch())), update)
                .getMatchedCount() == 1;
    }

    private static Bson counts(ChunkCounts c) {
        return Updates.combine(Updates.set("sent", c.sent()), Updates.set("failed", c.failed()),
                Updates.set("invalid", c.invalid()), Updates.set("suppressed", c.suppressed()),
                Updates.set("skipped", c.skipped()), Updates.set("uncertain", c.uncertain()),
                Updates.set("unverified", c.unverified()));
    }

    static Document toDocument(ChunkRecord r) {
        return new Document("_id", r.key())
                .append("campaignId", r.campaignId())
                .append("index", r.index())
                .append("firstId", BsonIds.toBson(r.ids().from()))
                .append("firstIncluded", r.ids().fromIncluded())
                .append("lastId", BsonIds.toBson(r.ids().through()))
                .append("planned", r.planned())
                .append("state", r.state().name())
                .append("owner", r.owner())
                .append("epoch", r.epoch())
                .append("reservedThrough", BsonIds.toStored(r.reservedThrough()))
                .append("sent", r.counts().sent())
                .append("failed", r.counts().failed())
                .append("invalid", r.counts().invalid())
                .append("suppressed", r.counts().suppressed())
                .append("skipped", r.counts().skipped())
                .append("uncertain", r.counts().uncertain())
                .append("unverified", r.counts().unverified());
    }

    static ChunkRecord fromDocument(Document d) {
        return new ChunkRecord(
                d.getString("campaignId"),
                d.getInteger("index"),
                new IdRange(BsonIds.fromBson(d.get("firstId")), d.getBoolean("firstIncluded", true),
                        BsonIds.fromBson(d.get("lastId"))),
                d.getInteger("planned"),
                ChunkState.valueOf(d.getString("state")),
                d.getString("owner"),
                d.getLong("epoch"),
                0,
                0,
                BsonIds.fromStored(d.get("reservedThrough")),
                // Chunks stored before suppression, de-duplication and validation existed lack those fields.
                new ChunkCounts(d.getLong("sent"), d.getLong("failed"), d.getLong("invalid"), d.get("suppressed", 0L),
                        d.get("skipped", 0L), d.getLong("uncertain"), d.get("unverified", 0L)));
    }
}
