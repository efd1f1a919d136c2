package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
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
        List<Document> inserts = new ArrayList<>(ordered.size());
        for (String key : ordered) {
            holders.put(key, campaignId);
            inserts.add(new Document("_id", key).append("campaignId", campaignId));
        }
        List<String> held = InsertOnce.insertAll(claims, inserts).stream().map(ordered::get).toList();
        if (!held.isEmpty()) {
            for (Document d : claims.find(Filters.in("_id", held))) {
                holders.put(d.getString("_id"), d.getString("campaignId"));
            }
        }
        return holders;
    }
}
