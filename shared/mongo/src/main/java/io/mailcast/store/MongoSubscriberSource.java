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
import io.mailcast.subscriber.SubscriberMapping;
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

    private final MongoConnection mongo;

    public MongoSubscriberSource(MongoConnection mongo) {
        this.mongo = mongo;
    }

    private MongoCollection<Document> collection(Audience audience) {
        SubscriberMapping source = audience.source();
        return mongo.database(source.database()).getCollection(source.collection());
    }

    /**
     * @throws IllegalArgumentException when the audience is not valid JSON or MongoDB refuses it as a query: bad input
     *                                  that no retry can fix, so the submitter marks the campaign FAILED at once
     */
    @Override
    public void eligibleIds(Audience audience, Consumer<SubscriberId> consumer) {
        try {
            for (Document d : collection(audience).find(filter(audience))
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
        SubscriberMapping source = audience.source();
        for (Document d : collection(audience).find(rangeFilter(filter, ids)).projection(projection(source))
                .sort(Sorts.ascending("_id")).batchSize(5_000)) {
            result.add(toSubscriber(d, source));
        }
        return result;
    }

    @Override
    public List<Subscriber> firstEligible(Audience audience, int limit) {
        if (limit <= 0) {
            return List.of(); // MongoDB reads limit(0) as no limit: the whole audience
        }
        List<Subscriber> result = new ArrayList<>(limit);
        SubscriberMapping source = audience.source();
        for (Document d : collection(audience).find(filter(audience)).projection(projection(source))
                .sort(Sorts.ascending("_id")).limit(limit)) {
            result.add(toSubscriber(d, source));
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

    /** The whole document, or only the fields templates see plus the address and the name; {@code null} is no projection. */
    static Bson projection(SubscriberMapping source) {
        if (source.wholeDocument()) {
            return null;
        }
        List<String> fields = new ArrayList<>(source.fields());
        fields.add(source.emailField());
        if (source.nameField() != null) {
            fields.add(source.nameField());
        }
        return Projections.include(fields.stream().distinct().toList());
    }

    /** A subscriber from a document of the default shape ({@link SubscriberMapping#DEFAULT}). */
    public static Subscriber toSubscriber(Document d) {
        return toSubscriber(d, SubscriberMapping.DEFAULT);
    }

    /**
     * Tolerates malformed documents: a missing or non-text e-mail becomes an empty address (recorded as INVALID, never
     * sent), a non-text name is dropped, non-document attributes are ignored. Blanks around an address are dropped:
     * they are no part of it. Templates see the document's fields (those named, or all), without {@code _id}.
     */
    @SuppressWarnings("unchecked")
    public static Subscriber toSubscriber(Document d, SubscriberMapping source) {
        Object email = path(d, source.emailField());
        Object name = source.nameField() == null ? null : path(d, source.nameField());
        Object attributes = d.get("attributes");
        SubscriberId id = BsonIds.fromBson(d.get("_id"));
        // The document is ours alone (freshly decoded): it becomes the template's view without a copy.
        d.remove("_id");
        if (!source.wholeDocument()) {
            d.keySet().retainAll(source.fields());
        }
        return new Subscriber(
                id,
                email instanceof String e ? e.strip() : "",
                name instanceof String n ? n : null,
                Boolean.TRUE.equals(d.get("subscribed")),
                attributes instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(),
                d);
    }

    /** The value at a dotted path through sub-documents, {@code null} when any step is missing or not a document. */
    static Object path(Document d, String path) {
        Object value = d;
        for (String step : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> m)) {
                return null;
            }
            value = m.get(step);
        }
        return value;
    }
}
