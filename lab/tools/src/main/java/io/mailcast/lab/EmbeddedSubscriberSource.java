package io.mailcast.lab;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.subscriber.SubscriberMapping;
import io.mailcast.subscriber.SubscriberSource;
import org.bson.BsonValue;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The chunk query made fast on the embedded mongo-java-server, which uses its {@code _id} index only for a query on
 * {@code _id} alone (any other field makes it scan the whole collection): an {@code $in} lookup of the range's ids, with
 * the audience filter applied in this process by that server's own matcher. Only integer and ObjectId ranges can be
 * listed ({@link IdSpan}); other kinds, and ranges too sparse for an {@code $in} list, go to the plain source (a
 * collection scan per chunk on that server). Real MongoDB needs none of this.
 */
public final class EmbeddedSubscriberSource implements SubscriberSource {

    private static final int MAX_IN_LIST = 20_000;
    /** The embedded server re-checks each document it finds against the whole {@code $in} list: keep lists short. */
    private static final int LOOKUP_BATCH = 128;

    private final SubscriberSource plain;
    private final MongoCollection<Document> subscribers;

    private EmbeddedSubscriberSource(SubscriberSource plain, MongoCollection<Document> subscribers) {
        this.plain = plain;
        this.subscribers = subscribers;
    }

    /** The fast path on the embedded server, the plain source on anything else. */
    public static SubscriberSource over(MongoConnection mongo) {
        SubscriberSource plain = new MongoSubscriberSource(mongo);
        return EmbeddedMongo.isEmbeddedServer(mongo.database())
                ? new EmbeddedSubscriberSource(plain, mongo.database().getCollection(Collections.SUBSCRIBERS))
                : plain;
    }

    @Override
    public void eligibleIds(Audience audience, Consumer<SubscriberId> consumer) {
        plain.eligibleIds(audience, consumer);
    }

    @Override
    public List<Subscriber> firstEligible(Audience audience, int limit) {
        return plain.firstEligible(audience, limit);
    }

    @Override
    public List<Subscriber> eligibleInRange(Audience audience, IdRange range, int planned) {
        SubscriberMapping source = audience.source();
        // The fast path knows the default collection only; another one is read the plain way.
        boolean defaultCollection = source.database() == null
                && source.collection().equals(SubscriberMapping.DEFAULT.collection());
        List<BsonValue> ids = defaultCollection ? IdSpan.enumerate(range, MAX_IN_LIST) : null;
        if (ids == null) {
            return plain.eligibleInRange(audience, range, planned);
        }
        LocalAudienceMatcher matcher = new LocalAudienceMatcher(Document.parse(audience.filterJson()));
        List<Subscriber> result = new ArrayList<>(Math.max(planned, 16));
        for (int from = 0; from < ids.size(); from += LOOKUP_BATCH) {
            List<BsonValue> batch = ids.subList(from, Math.min(ids.size(), from + LOOKUP_BATCH));
            for (Document d : subscribers.find(new Document("_id", new Document("$in", batch))).sort(Sorts.ascending("_id"))) {
                if (matcher.matches(d)) {
                    result.add(MongoSubscriberSource.toSubscriber(d, source));
                }
            }
        }
        // Fewer than planned: an id the list cannot name (3.5), or subscribers gone since planning; only a scan can tell.
        return result.size() < planned ? plain.eligibleInRange(audience, range, planned) : result;
    }
}
