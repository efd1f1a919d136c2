package io.mailcast.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertOneModel;
import org.bson.Document;

import java.util.List;

/**
 * Inserts where a document already stored under the same unique key wins: the idiom behind every idempotent write and
 * every cluster-wide claim here (the unique index decides between nodes, in one round trip).
 */
final class InsertOnce {

    private static final int DUPLICATE_KEY = 11000;

    private InsertOnce() {
    }

    /** Inserts {@code document}; false, changing nothing, when one with the same unique key exists. */
    static boolean insert(MongoCollection<Document> collection, Document document) {
        try {
            collection.insertOne(document);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return false;
        }
    }

    /**
     * Inserts all in one unordered bulk write: every document goes in unless its key is taken.
     *
     * @return the positions in {@code documents} refused because their key is taken, ascending; any other failure throws
     */
    static List<Integer> insertAll(MongoCollection<Document> collection, List<Document> documents) {
        if (documents.isEmpty()) {
            return List.of();
        }
        try {
            collection.bulkWrite(documents.stream().map(InsertOneModel::new).toList(), new BulkWriteOptions().ordered(false));
            return List.of();
        } catch (MongoBulkWriteException e) {
            if (e.getWriteErrors().stream().anyMatch(w -> w.getCode() != DUPLICATE_KEY)) {
                throw e;
            }
            return e.getWriteErrors().stream().map(w -> w.getIndex()).sorted().toList();
        }
    }
}
