package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.mailcast.delivery.AddressClaims;
import io.mailcast.subscriber.SubscriberId;
import org.bson.Document;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Address claims keyed {@code <campaignId>:<normalised address>}: the unique {@code _id} decides who holds an address,
 * whichever node inserts first. One unordered bulk insert per chunk; only the addresses already held are read back.
 */
public final class MongoAddressClaims implements AddressClaims {


    private final MongoCollection<Document> claims;

    public MongoAddressClaims(MongoConnection mongo) {
        this.claims = mongo.database().getCollection(Collections.ADDRESS_CLAIMS);
    }

    @Override
    public Map<String, SubscriberId> claim(String campaignId, Map<String, SubscriberId> wanted) {
        Map<String, SubscriberId> holders = new HashMap<>(wanted);
        if (wanted.isEmpty()) {
            return holders;
        }
        List<Document> inserts = new ArrayList<>(wanted.size());
        List<String> keys = new ArrayList<>(wanted.size());
        wanted.forEach((address, id) -> {
            keys.add(key(campaignId, address));
            inserts.add(new Document("_id", keys.getLast()).append("campaignId", campaignId)
                    .append("subscriberId", id.key()));
        });
        List<String> held = InsertOnce.insertAll(claims, inserts).stream().map(keys::get).toList();
        if (!held.isEmpty()) {
            for (Document d : claims.find(Filters.in("_id", held))) {
                String id = d.getString("_id");
                holders.put(id.substring(campaignId.length() + 1), SubscriberId.parse(d.getString("subscriberId")));
            }
        }
        return holders;
    }

    private static String key(String campaignId, String address) {
        return campaignId + ":" + address;
    }
}
