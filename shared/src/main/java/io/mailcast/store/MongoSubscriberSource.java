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
 * Subscribers in MongoDB. A chunk is loaded in one query on {@code _id}: as an {@code $in} list when the chunk's id
 * range is dense (point lookups on the {@code _id} index; also the form the embedded test server answers from its
 * index), as a {@code $gte/$lte} range otherwise (an {@code _id} index range scan on real MongoDB).
 */
public final class MongoSubscriberSource implements SubscriberSource {

    /** Use {@code $in} while the range holds at most this many ids per planned recipient. */
    private static final int DENSE_SPAN_FACTOR = 4;
    private static final int MAX_IN_LIST = 20_000;

    private final MongoCollection<Document> subscribers;

    public MongoSubscriberSource(MongoConnection mongo) {
        this.subscribers = mongo.database().getCollection(Collections.SUBSCRIBERS);
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
        Bson ids = idFilter(firstId, lastId, planned);
        List<Subscriber> result = new ArrayList<>(Math.max(planned, 16));
        for (Document d : subscribers.find(Filters.and(ids, Document.parse(audience.filterJson())))
                .sort(Sorts.ascending("_id"))
                .batchSize(5_000)) {
            result.add(toSubscriber(d));
        }
        return result;
    }

    static Bson idFilter(long firstId, long lastId, int planned) {
        long span = lastId - firstId + 1;
        if (planned > 0 && span > 0 && span <= (long) planned * DENSE_SPAN_FACTOR && span <= MAX_IN_LIST) {
            List<Long> ids = new ArrayList<>((int) span);
            for (long id = firstId; id <= lastId; id++) {
                ids.add(id);
            }
            return Filters.in("_id", ids);
        }
        return Filters.and(Filters.gte("_id", firstId), Filters.lte("_id", lastId));
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
