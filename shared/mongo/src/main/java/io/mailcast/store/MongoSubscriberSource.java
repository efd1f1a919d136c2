package io.mailcast.store;

import com.mongodb.MongoQueryException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.subscriber.SubscriberSource;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Subscribers in MongoDB. A chunk is one query: an {@code _id} range plus the audience filter, an index range scan. */
public final class MongoSubscriberSource implements SubscriberSource {

    // BadValue, FailedToParse, TypeMismatch, InvalidPipelineOperator: the query itself is wrong. Other query errors
    // (a primary stepping down, a time limit) may pass, and are left to the planning lease's retries.
    private static final Set<Integer> REFUSED_QUERY_CODES = Set.of(2, 9, 14, 168);

    private final MongoCollection<Document> subscribers;

    public MongoSubscriberSource(MongoConnection mongo) {
        this.subscribers = mongo.database().getCollection(Collections.SUBSCRIBERS);
    }

    /**
     * @throws IllegalArgumentException when the audience is not valid JSON or MongoDB refuses it as a query: bad input
     *                                  that no retry can fix, so the submitter marks the campaign FAILED at once
     */
    @Override
    public void eligibleIds(Audience audience, Consumer<SubscriberId> consumer) {
        try {
            for (Document d : subscribers.find(filter(audience))
                    .projection(Projections.include("_id"))
                    .sort(Sorts.ascending("_id"))
                    .batchSize(10_000)) {
                consumer.accept(BsonIds.fromBson(d.get("_id")));
            }
        } catch (MongoQueryException e) {
            if (!REFUSED_QUERY_CODES.contains(e.getErrorCode())) {
                throw e;
            }
            throw new IllegalArgumentException("MongoDB refuses the audience filter (" + e.getErrorMessage()
                    + "); fix the audience filter and submit again", e);
        }
    }

    private static Document filter(Audience audience) {
        return AudienceFilter.parse("the audience filter", audience.filterJson());
    }

    @Override
    public List<Subscriber> eligibleInRange(Audience audience, IdRange ids, int planned) {
        Document filter = filter(audience);
        List<Subscriber> result = new ArrayList<>(Math.max(planned, 16));
        for (Document d : subscribers.find(rangeFilter(filter, ids)).sort(Sorts.ascending("_id")).batchSize(5_000)) {
            result.add(toSubscriber(d));
        }
        return result;
    }

    @Override
    public List<Subscriber> firstEligible(Audience audience, int limit) {
        List<Subscriber> result = new ArrayList<>(limit);
        for (Document d : subscribers.find(filter(audience)).sort(Sorts.ascending("_id")).limit(limit)) {
            result.add(toSubscriber(d));
        }
        return result;
    }

    static Bson rangeFilter(Document audience, IdRange range) {
        Document ids = new Document(range.fromIncluded() ? "$gte" : "$gt", BsonIds.toBson(range.from()))
                .append("$lte", BsonIds.toBson(range.through()));
        if (audience.containsKey("_id")) {
            return Filters.and(new Document("_id", ids), audience);
        }
        Document combined = new Document("_id", ids);
        combined.putAll(audience);
        return combined;
    }

    /**
     * Tolerates malformed documents: a missing or non-text e-mail becomes an empty address (recorded as INVALID, never
     * sent), a non-text name is dropped, non-document attributes are ignored. Blanks around an address are dropped:
     * they are no part of it.
     */
    @SuppressWarnings("unchecked")
    public static Subscriber toSubscriber(Document d) {
        Object email = d.get("email");
        Object name = d.get("name");
        Object attributes = d.get("attributes");
        return new Subscriber(
                BsonIds.fromBson(d.get("_id")),
                email instanceof String e ? e.strip() : "",
                name instanceof String n ? n : null,
                Boolean.TRUE.equals(d.get("subscribed")),
                attributes instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    }
}
