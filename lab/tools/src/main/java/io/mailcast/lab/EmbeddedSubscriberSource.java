package io.mailcast.lab;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberSource;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The chunk query made fast on the embedded mongo-java-server, which uses its {@code _id} index only for a query on
 * {@code _id} alone (any other field makes it scan the whole collection): an {@code $in} lookup of the range's ids, with
 * the audience filter applied in this process by that server's own matcher. Ranges too sparse for an {@code $in} list
 * go to the plain source. Real MongoDB needs none of this.
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
    public void eligibleIds(Audience audience, LongConsumer consumer) {
        plain.eligibleIds(audience, consumer);
    }

    @Override
    public List<Subscriber> eligibleInRange(Audience audience, long firstId, long lastId, int planned) {
        long span = lastId - firstId + 1;
        if (span <= 0 || span > MAX_IN_LIST) {
            return plain.eligibleInRange(audience, firstId, lastId, planned);
        }
        LocalAudienceMatcher matcher = new LocalAudienceMatcher(Document.parse(audience.filterJson()));
        List<Subscriber> result = new ArrayList<>(Math.max(planned, 16));
        for (long from = firstId; from <= lastId; from += LOOKUP_BATCH) {
            List<Long> ids = idsBetween(from, Math.min(lastId, from + LOOKUP_BATCH - 1));
            for (Document d : subscribers.find(new Document("_id", new Document("$in", ids))).sort(Sorts.ascending("_id"))) {
                if (matcher.matches(d)) {
                    result.add(MongoSubscriberSource.toSubscriber(d));
                }
            }
        }
        return result;
    }

    private static List<Long> idsBetween(long firstId, long lastId) {
        List<Long> ids = new ArrayList<>((int) (lastId - firstId + 1));
        for (long id = firstId; id <= lastId; id++) {
            ids.add(id);
        }
        return ids;
    }
}
