package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import io.mailcast.schedule.Firing;
import io.mailcast.schedule.FiringStore;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Firings in {@code schedule_firings}, keyed {@code <scheduleId>:<slot>}: the unique {@code _id} keeps one record per
 * slot whichever supervisor writes first.
 */
public final class MongoFiringStore implements FiringStore {

    private final MongoCollection<Document> firings;

    public MongoFiringStore(MongoConnection mongo) {
        this.firings = mongo.database().getCollection(Collections.SCHEDULE_FIRINGS);
    }

    static void ensureIndexes(MongoDatabase database) {
        database.getCollection(Collections.SCHEDULE_FIRINGS).createIndex(
                Indexes.compoundIndex(Indexes.ascending("scheduleId"), Indexes.descending("slot")),
                new IndexOptions().name("schedule_slot"));
    }

    @Override
    public boolean record(Firing f) {
        return InsertOnce.insert(firings, new Document("_id", f.scheduleId() + ":" + f.slot())
                .append("scheduleId", f.scheduleId())
                .append("slot", Date.from(f.slot()))
                .append("campaignId", f.campaignId())
                .append("at", Date.from(f.at()))
                .append("lateByMillis", f.lateBy().toMillis())
                .append("skipped", f.skipped()));
    }

    @Override
    public Optional<Instant> lastSlot(String scheduleId) {
        Document last = firings.find(Filters.eq("scheduleId", scheduleId)).sort(Sorts.descending("slot")).limit(1).first();
        return Optional.ofNullable(last).map(d -> d.getDate("slot").toInstant());
    }

    @Override
    public List<Firing> latest(String scheduleId, int limit) {
        return find(Filters.eq("scheduleId", scheduleId), limit);
    }

    @Override
    public List<Firing> lateOrSkipped(String scheduleId, Duration lateOver, int limit) {
        return find(Filters.and(Filters.eq("scheduleId", scheduleId), Filters.or(Filters.ne("skipped", null),
                Filters.gt("lateByMillis", lateOver.toMillis()))), limit);
    }

    private List<Firing> find(Bson filter, int limit) {
        return firings.find(filter).sort(Sorts.descending("slot")).limit(limit)
                .map(d -> new Firing(d.getString("scheduleId"), d.getDate("slot").toInstant(), d.getString("campaignId"),
                        d.getDate("at").toInstant(), Duration.ofMillis(((Number) d.get("lateByMillis")).longValue()),
                        d.getString("skipped")))
                .into(new ArrayList<>());
    }
}
