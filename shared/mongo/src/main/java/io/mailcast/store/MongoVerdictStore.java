package io.mailcast.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.mailcast.validation.CachedVerdict;
import io.mailcast.validation.Verdict;
import io.mailcast.validation.VerdictStore;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verdicts and claims in one document per normalised address ({@code _id}) of {@code address_verdicts}. The field
 * {@code busyUntil} is the later of the verdict's expiry and the running lease, so a claim is one conditional upsert:
 * it matches only a free document, and on an address nobody knows it inserts; a busy one fails the insert on the unique
 * {@code _id}, which is how a lost race shows.
 */
public final class MongoVerdictStore implements VerdictStore {

    private static final int BATCH = 5_000;

    private final MongoCollection<Document> verdicts;

    public MongoVerdictStore(MongoConnection mongo) {
        this.verdicts = mongo.database().getCollection(Collections.ADDRESS_VERDICTS);
    }

    @Override
    public Map<String, CachedVerdict> fresh(Set<String> addresses, Instant now) {
        Map<String, CachedVerdict> found = new HashMap<>();
        List<String> all = new ArrayList<>(addresses);
        for (int from = 0; from < all.size(); from += BATCH) {
            Bson filter = Filters.and(Filters.in("_id", all.subList(from, Math.min(all.size(), from + BATCH))),
                    Filters.gt("expiresAt", Date.from(now)));
            for (Document d : verdicts.find(filter)) {
                CachedVerdict v = toVerdict(d);
                if (v != null) {
                    found.put(d.getString("_id"), v);
                }
            }
        }
        return found;
    }

    @Override
    public Claim claim(String address, String holder, Instant now, Instant leaseUntil) {
        Bson free = Filters.and(Filters.eq("_id", address),
                Filters.or(Filters.lte("busyUntil", Date.from(now)), Filters.eq("leaseHolder", holder)));
        Bson lease = Updates.combine(Updates.set("leaseHolder", holder), Updates.set("leaseUntil", Date.from(leaseUntil)),
                Updates.set("busyUntil", Date.from(leaseUntil)));
        try {
            verdicts.updateOne(free, lease, new UpdateOptions().upsert(true));
            return new Claim.Taken();
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        Document d = verdicts.find(Filters.eq("_id", address)).first();
        CachedVerdict cached = d == null ? null : toVerdict(d);
        if (cached != null && cached.expiresAt().isAfter(now)) {
            return new Claim.Cached(cached);
        }
        return new Claim.HeldElsewhere();
    }

    @Override
    public boolean record(String address, String holder, CachedVerdict v) {
        Bson update = Updates.combine(
                Updates.set("verdict", v.verdict().name()),
                Updates.set("checkedAt", Date.from(v.checkedAt())),
                Updates.set("validator", v.validator()),
                Updates.set("expiresAt", Date.from(v.expiresAt())),
                Updates.set("busyUntil", Date.from(v.expiresAt())),
                Updates.unset("leaseHolder"),
                Updates.unset("leaseUntil"));
        return verdicts.updateOne(Filters.and(Filters.eq("_id", address), Filters.eq("leaseHolder", holder)), update)
                .getMatchedCount() == 1;
    }

    @Override
    public void release(String address, String holder, Instant now) {
        verdicts.updateOne(Filters.and(Filters.eq("_id", address), Filters.eq("leaseHolder", holder)),
                Updates.combine(Updates.set("busyUntil", Date.from(now)), Updates.unset("leaseHolder"),
                        Updates.unset("leaseUntil")));
    }

    /** The cached verdict, or {@code null} for a document without one (a first claim) or a malformed one. */
    private static CachedVerdict toVerdict(Document d) {
        if (!(d.get("verdict") instanceof String name) || !(d.get("checkedAt") instanceof Date checkedAt)
                || !(d.get("expiresAt") instanceof Date expiresAt)) {
            return null;
        }
        Verdict verdict;
        try {
            verdict = Verdict.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String validator = d.get("validator") instanceof String s ? s : "unknown";
        return new CachedVerdict(verdict, checkedAt.toInstant(), validator, expiresAt.toInstant());
    }
}
