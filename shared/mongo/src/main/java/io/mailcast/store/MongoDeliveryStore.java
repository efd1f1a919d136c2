package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.DeliveryStore;
import io.mailcast.delivery.Outcome;
import io.mailcast.delivery.UncertainCause;
import io.mailcast.subscriber.SubscriberId;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Deliveries keyed {@code <campaignId>:<subscriberId>}: the key makes each recipient's outcome unique, so a flush
 * retried after a lost acknowledgement, or a chunk finished by a second owner, never records anyone twice.
 */
public final class MongoDeliveryStore implements DeliveryStore {

    /** Field of a flagged delivery naming why it is uncertain ({@link UncertainCause#label()}). */
    static final String UNCERTAIN_CAUSE = "uncertainCause";
    /** Set (true) only on a FAILED delivery the relay refused for good. */
    static final String PERMANENT = "permanent";

    private final MongoCollection<Document> deliveries;

    public MongoDeliveryStore(MongoConnection mongo) {
        this.deliveries = mongo.database().getCollection(Collections.DELIVERIES);
    }

    public static String key(String campaignId, SubscriberId subscriberId) {
        return campaignId + ":" + subscriberId.key();
    }

    @Override
    public void record(List<Delivery> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Integer> recordedBefore = InsertOnce.insertAll(deliveries,
                batch.stream().map(MongoDeliveryStore::toDocument).toList());
        if (!recordedBefore.isEmpty()) {
            flagLateDuplicates(recordedBefore.stream().map(batch::get).toList());
        }
    }

    /**
     * An uncertain re-send whose recipient already has a record: the earlier owner was still alive (a lease lost to a
     * pause or a partition) and wrote its outcome after the takeover. Both may have mailed; the first record stays, and
     * is flagged so the duplicate shows.
     */
    private void flagLateDuplicates(List<Delivery> recordedBefore) {
        Map<UncertainCause, List<String>> keysByCause = recordedBefore.stream()
                .filter(Delivery::uncertain).collect(Collectors.groupingBy(Delivery::uncertainCause,
                        Collectors.mapping(d -> key(d.campaignId(), d.subscriberId()), Collectors.toList())));
        // A record already flagged keeps its own cause.
        keysByCause.forEach((cause, keys) -> deliveries.updateMany(
                Filters.and(Filters.in("_id", keys), Filters.ne("uncertain", true)),
                Updates.combine(Updates.set("uncertain", true), Updates.set(UNCERTAIN_CAUSE, cause.label()))));
    }

    @Override
    public Map<SubscriberId, Delivery> recorded(String campaignId, Collection<SubscriberId> subscriberIds) {
        Map<SubscriberId, Delivery> found = new HashMap<>();
        if (subscriberIds.isEmpty()) {
            return found;
        }
        List<String> keys = subscriberIds.stream().map(id -> key(campaignId, id)).toList();
        for (Document d : deliveries.find(Filters.in("_id", keys)).batchSize(5_000)) {
            Delivery delivery = fromDocument(d);
            found.put(delivery.subscriberId(), delivery);
        }
        return found;
    }

    @Override
    public List<SubscriberId> failed(String campaignId, boolean includePermanent) {
        List<SubscriberId> ids = new ArrayList<>();
        Bson failed = Filters.and(Filters.eq("campaignId", campaignId), Filters.eq("outcome", Outcome.FAILED.name()));
        // Deliveries recorded before permanence was stored have no field, and count as worth another try.
        Bson filter = includePermanent ? failed : Filters.and(failed, Filters.ne(PERMANENT, true));
        for (Document d : deliveries.find(filter).projection(new Document("subscriberId", 1)).batchSize(10_000)) {
            ids.add(BsonIds.fromBson(d.get("subscriberId")));
        }
        ids.sort(null);
        return ids;
    }

    @Override
    public long permanentlyFailed(String campaignId) {
        return deliveries.countDocuments(Filters.and(Filters.eq("campaignId", campaignId),
                Filters.eq("outcome", Outcome.FAILED.name()), Filters.eq(PERMANENT, true)));
    }

    @Override
    public void forget(String campaignId, Collection<SubscriberId> subscriberIds) {
        List<String> keys = subscriberIds.stream().map(id -> key(campaignId, id)).toList();
        for (int from = 0; from < keys.size(); from += 1_000) {
            deliveries.deleteMany(Filters.in("_id", keys.subList(from, Math.min(keys.size(), from + 1_000))));
        }
    }

    @Override
    public ChunkCounts count(String campaignId) {
        long sent = 0;
        long failed = 0;
        long invalid = 0;
        long suppressed = 0;
        long skipped = 0;
        long unverified = 0;
        long uncertain = 0;
        for (Document d : deliveries.find(Filters.eq("campaignId", campaignId))
                .projection(new Document("outcome", 1).append("uncertain", 1)).batchSize(10_000)) {
            switch (Outcome.valueOf(d.getString("outcome"))) {
                case SENT, BOUNCED -> sent++; // a bounce came after the send, which happened
                case FAILED -> failed++;
                case INVALID -> invalid++;
                case SUPPRESSED -> suppressed++;
                case SKIPPED -> skipped++;
                case UNVERIFIED -> unverified++;
            }
            if (Boolean.TRUE.equals(d.getBoolean("uncertain"))) {
                uncertain++;
            }
        }
        return new ChunkCounts(sent, failed, invalid, suppressed, skipped, uncertain, unverified);
    }

    /** One count per cause, each answered from the small partial index of flagged deliveries. */
    @Override
    public Map<UncertainCause, Long> uncertainByCause(String campaignId) {
        Map<UncertainCause, Long> counts = new EnumMap<>(UncertainCause.class);
        for (UncertainCause cause : UncertainCause.values()) {
            counts.put(cause, deliveries.countDocuments(Filters.and(Filters.eq("campaignId", campaignId),
                    Filters.eq(UNCERTAIN_CAUSE, cause.label()))));
        }
        return counts;
    }

    static Document toDocument(Delivery d) {
        Document doc = new Document("_id", key(d.campaignId(), d.subscriberId()))
                .append("campaignId", d.campaignId())
                .append("subscriberId", BsonIds.toBson(d.subscriberId()))
                .append("email", d.email())
                .append("outcome", d.outcome().name())
                .append("attempts", d.attempts())
                .append("node", d.node())
                .append("at", Date.from(d.at()));
        if (d.reason() != null) {
            doc.append("reason", d.reason());
        }
        if (d.relay() != null) {
            doc.append("relay", d.relay());
        }
        if (d.uncertain()) {
            doc.append("uncertain", true).append(UNCERTAIN_CAUSE, d.uncertainCause().label());
        }
        if (d.permanent()) {
            doc.append(PERMANENT, true);
        }
        return doc;
    }

    static Delivery fromDocument(Document d) {
        return new Delivery(
                d.getString("campaignId"),
                BsonIds.fromBson(d.get("subscriberId")),
                d.getString("email"),
                Outcome.valueOf(d.getString("outcome")),
                d.getString("reason"),
                uncertainCause(d),
                d.getInteger("attempts", 1),
                d.getString("node"),
                d.getString("relay"),
                d.getDate("at").toInstant(),
                d.getBoolean(PERMANENT, false));
    }

    /** Deliveries flagged before causes were recorded are all crash takeovers: the only cause there was. */
    private static UncertainCause uncertainCause(Document d) {
        String cause = d.getString(UNCERTAIN_CAUSE);
        if (cause != null) {
            return UncertainCause.ofLabel(cause);
        }
        return Boolean.TRUE.equals(d.getBoolean("uncertain")) ? UncertainCause.NODE_DIED : null;
    }
}
