package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberSource;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Subscribers in MongoDB. A chunk is one query on {@code _id}:
 * <ul>
 *   <li>on MongoDB, an {@code _id} range plus the audience filter: an index range scan on {@code _id};</li>
 *   <li>on the embedded mongo-java-server, which uses its {@code _id} index only for a query on {@code _id} alone (any
 *       other field makes it scan the whole collection), an {@code $in} lookup of the range's ids, with the audience
 *       filter applied in this process by that server's own query matcher. Ranges too sparse for an {@code $in} list
 *       fall back to the scanning form.</li>
 * </ul>
 */
public final class MongoSubscriberSource implements SubscriberSource {

    private static final int MAX_IN_LIST = 20_000;
    /** The embedded server re-checks each document it finds against the whole {@code $in} list: keep lists short. */
    private static final int LOOKUP_BATCH = 128;

    private final MongoCollection<Document> subscribers;
    private final boolean embeddedServer;

    public MongoSubscriberSource(MongoConnection mongo) {
        this.subscribers = mongo.database().getCollection(Collections.SUBSCRIBERS);
        this.embeddedServer = mongo.isEmbeddedServer();
    }

    @Override
    public void eligibleIds(Audience audience, LongConsumer consumer) {
        for (Document d : subscribers.find(Document.parse(audience.filterJson()))
                .projection(Projections.include("_id"))
                .sort(Sorts.ascending("_id"))
                .batchSize(10_000)) {
            consumer.accept(((Number) d.get("_id")).longValue());
        }
    }

    @Override
    public List<Subscriber> eligibleInRange(Audience audience, long firstId, long lastId, int planned) {
        Document filter = Document.parse(audience.filterJson());
        List<Subscriber> result = new ArrayList<>(Math.max(planned, 16));
        long span = lastId - firstId + 1;
        if (!embeddedServer || span <= 0 || span > MAX_IN_LIST) {
            for (Document d : subscribers.find(rangeFilter(filter, firstId, lastId)).sort(Sorts.ascending("_id")).batchSize(5_000)) {
                result.add(toSubscriber(d));
            }
            return result;
        }
        LocalAudienceMatcher matcher = new LocalAudienceMatcher(filter);
        for (long from = firstId; from <= lastId; from += LOOKUP_BATCH) {
            List<Long> ids = idsBetween(from, Math.min(lastId, from + LOOKUP_BATCH - 1));
            for (Document d : subscribers.find(new Document("_id", new Document("$in", ids))).sort(Sorts.ascending("_id"))) {
                if (matcher.matches(d)) {
                    result.add(toSubscriber(d));
                }
            }
        }
        return result;
    }

    static Bson rangeFilter(Document audience, long firstId, long lastId) {
        Document ids = new Document("$gte", firstId).append("$lte", lastId);
        if (audience.containsKey("_id")) {
            return Filters.and(new Document("_id", ids), audience);
        }
        Document combined = new Document("_id", ids);
        combined.putAll(audience);
        return combined;
    }

    private static List<Long> idsBetween(long firstId, long lastId) {
        List<Long> ids = new ArrayList<>((int) (lastId - firstId + 1));
        for (long id = firstId; id <= lastId; id++) {
            ids.add(id);
        }
        return ids;
    }

    /**
     * Tolerates malformed documents: a missing or non-text e-mail becomes an empty address (recorded as INVALID, never
     * sent), a non-text name is dropped, non-document attributes are ignored.
     */
    @SuppressWarnings("unchecked")
    static Subscriber toSubscriber(Document d) {
        Object email = d.get("email");
        Object name = d.get("name");
        Object attributes = d.get("attributes");
        return new Subscriber(
                ((Number) d.get("_id")).longValue(),
                email instanceof String e ? e : "",
                name instanceof String n ? n : null,
                Boolean.TRUE.equals(d.get("subscribed")),
                attributes instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    }
}
