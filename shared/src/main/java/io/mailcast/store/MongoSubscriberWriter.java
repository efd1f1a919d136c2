package io.mailcast.store;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertOneModel;
import io.mailcast.subscriber.Subscriber;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;

/** Bulk, unordered inserts of subscribers; ids already present are left untouched, so re-running never duplicates. */
public final class MongoSubscriberWriter {

    private static final int DUPLICATE_KEY = 11000;

    private final MongoCollection<Document> subscribers;

    public MongoSubscriberWriter(MongoConnection mongo) {
        this.subscribers = mongo.database().getCollection(Collections.SUBSCRIBERS);
    }

    /** Inserts the batch; returns how many were new. */
    public int insert(List<Subscriber> batch) {
        List<InsertOneModel<Document>> inserts = new ArrayList<>(batch.size());
        for (Subscriber s : batch) {
            inserts.add(new InsertOneModel<>(new Document("_id", s.id())
                    .append("email", s.email())
                    .append("name", s.name())
                    .append("subscribed", s.subscribed())
                    .append("attributes", new Document(s.attributes()))));
        }
        try {
            return subscribers.bulkWrite(inserts, new BulkWriteOptions().ordered(false)).getInsertedCount();
        } catch (MongoBulkWriteException e) {
            if (e.getWriteErrors().stream().anyMatch(w -> w.getCode() != DUPLICATE_KEY)) {
                throw e;
            }
            // Every error here is a duplicate key; count from them (the embedded server over-reports insertedCount).
            return batch.size() - e.getWriteErrors().size();
        }
    }

    public long count() {
        return subscribers.estimatedDocumentCount();
    }
}
