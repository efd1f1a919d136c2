package io.mailcast.store;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import io.mailcast.reminder.ReminderClaims;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reminder claims in {@code reminder_claims}, keyed by the reminder's key: the unique {@code _id} decides which campaign
 * sends it. One unordered bulk insert per chunk; only the keys already held are read back.
 */
public final class MongoReminderClaims implements ReminderClaims {

    private static final int DUPLICATE_KEY = 11000;

    private final MongoCollection<Document> claims;

    public MongoReminderClaims(MongoConnection mongo) {
        this.claims = mongo.database().getCollection(Collections.REMINDER_CLAIMS);
    }

    @Override
    public Map<String, String> claim(String campaignId, Collection<String> keys) {
        Map<String, String> holders = new HashMap<>();
        List<String> ordered = List.copyOf(keys);
        if (ordered.isEmpty()) {
            return holders;
        }
        List<InsertOneModel<Document>> inserts = new ArrayList<>(ordered.size());
        for (String key : ordered) {
            holders.put(key, campaignId);
            inserts.add(new InsertOneModel<>(new Document("_id", key).append("campaignId", campaignId)));
        }
        try {
            claims.bulkWrite(inserts, new BulkWriteOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            if (e.getWriteErrors().stream().anyMatch(w -> w.getCode() != DUPLICATE_KEY)) {
                throw e;
            }
            List<String> held = e.getWriteErrors().stream().map(w -> ordered.get(w.getIndex())).toList();
            for (Document d : claims.find(Filters.in("_id", held))) {
                holders.put(d.getString("_id"), d.getString("campaignId"));
            }
        }
        return holders;
    }
}
