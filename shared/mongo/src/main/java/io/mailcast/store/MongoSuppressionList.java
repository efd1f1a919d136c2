package io.mailcast.store;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.mailcast.suppression.Suppression;
import io.mailcast.suppression.SuppressionList;
import io.mailcast.suppression.SuppressionReason;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The suppression list in the {@value Collections#SUPPRESSIONS} collection, keyed {@code _id} = normalised address, so
 * an address is on it at most once and a chunk's lookup is one {@code $in} on the primary key.
 */
public final class MongoSuppressionList implements SuppressionList {

    private static final int BATCH = 1_000;

    private final MongoCollection<Document> suppressions;

    public MongoSuppressionList(MongoConnection mongo) {
        this.suppressions = mongo.database().getCollection(Collections.SUPPRESSIONS);
    }

    /** Inserts only: an address already on the list keeps its first entry, and a retried batch adds nothing twice. */
    @Override
    public int addAll(Collection<Suppression> entries) {
        List<Suppression> all = List.copyOf(entries);
        int added = 0;
        for (int from = 0; from < all.size(); from += BATCH) {
            List<Document> inserts = all.subList(from, Math.min(all.size(), from + BATCH)).stream()
                    .map(MongoSuppressionList::toDocument).toList();
            added += inserts.size() - InsertOnce.insertAll(suppressions, inserts).size();
        }
        return added;
    }

    @Override
    public boolean remove(String normalisedAddress) {
        return suppressions.deleteOne(Filters.eq("_id", normalisedAddress)).getDeletedCount() == 1;
    }

    @Override
    public Set<String> suppressedAmong(Collection<String> normalisedAddresses) {
        Set<String> found = new HashSet<>();
        if (normalisedAddresses.isEmpty()) {
            return found;
        }
        for (Document d : suppressions.find(Filters.in("_id", normalisedAddresses)).projection(Projections.include("_id"))
                .batchSize(5_000)) {
            found.add(d.getString("_id"));
        }
        return found;
    }

    @Override
    public Map<String, SuppressionReason> reasonsAmong(Collection<String> normalisedAddresses) {
        Map<String, SuppressionReason> found = new HashMap<>();
        if (normalisedAddresses.isEmpty()) {
            return found;
        }
        for (Document d : suppressions.find(Filters.in("_id", normalisedAddresses))
                .projection(Projections.include("_id", "reason"))) {
            found.put(d.getString("_id"), SuppressionReason.valueOf(d.getString("reason")));
        }
        return found;
    }

    @Override
    public List<Suppression> list(SuppressionReason reason, int limit) {
        List<Suppression> entries = new ArrayList<>();
        ordered(reason).limit(limit).forEach(d -> entries.add(fromDocument(d)));
        return entries;
    }

    @Override
    public void forEach(Consumer<Suppression> action) {
        ordered(null).batchSize(5_000).forEach(d -> action.accept(fromDocument(d)));
    }

    private FindIterable<Document> ordered(SuppressionReason reason) {
        return suppressions.find(reason == null ? new Document() : Filters.eq("reason", reason.name()))
                .sort(Sorts.ascending("_id"));
    }

    static Document toDocument(Suppression s) {
        Document doc = new Document("_id", s.address())
                .append("reason", s.reason().name())
                .append("at", Date.from(s.at()));
        if (s.sourceCampaign() != null) {
            doc.append("sourceCampaign", s.sourceCampaign());
        }
        if (s.evidence() != null) {
            doc.append("evidence", s.evidence());
        }
        return doc;
    }

    static Suppression fromDocument(Document d) {
        return new Suppression(d.getString("_id"), SuppressionReason.valueOf(d.getString("reason")),
                d.getString("sourceCampaign"), d.getDate("at").toInstant(), d.getString("evidence"));
    }
}
