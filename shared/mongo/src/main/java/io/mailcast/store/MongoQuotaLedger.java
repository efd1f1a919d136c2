package io.mailcast.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import io.mailcast.quota.QuotaLedger;
import io.mailcast.quota.QuotaUse;
import io.mailcast.quota.QuotaWindow;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's relay quotas in {@code relay_quotas}: one document per relay and window, {@code _id}
 * {@code primary:2026-12-02T16} (or {@code primary:2026-12-02} for the day), with {@code relay}, {@code kind},
 * {@code key}, {@code used}, the last {@code cap} and {@code expireAt}, two days after the window, for the TTL index.
 *
 * <p>{@link #take} is a conditional {@code $inc}: the filter {@code used <= cap - grant} holds the cap, so nodes
 * taking at once can never together pass it, and the write concern of the connection (majority, journaled) keeps it
 * through a MongoDB crash. The window's first take inserts the document through the upsert; when two nodes race to
 * insert, the loser's duplicate-key error sends it round again. Both work the same on mongo-java-server.
 */
public final class MongoQuotaLedger implements QuotaLedger {

    /**
     * Tries of one take. Each lost try is another take that succeeded, so a node loses only as often as others win
     * meanwhile; past this many, granting nothing is the safe answer and the node asks again a little later.
     */
    static final int MAX_TRIES = 100;
    /** How long a window's document outlives it: long enough for {@code relay quotas} to show yesterday. */
    static final Duration KEPT_AFTER_WINDOW = Duration.ofDays(2);

    private static final Logger log = LoggerFactory.getLogger(MongoQuotaLedger.class);

    private final MongoCollection<Document> quotas;

    public MongoQuotaLedger(MongoConnection mongo) {
        this.quotas = mongo.database().getCollection(Collections.RELAY_QUOTAS);
    }

    /** The TTL index that drops a window's document {@link #KEPT_AFTER_WINDOW} after the window. */
    static void ensureIndexes(MongoDatabase database) {
        database.getCollection(Collections.RELAY_QUOTAS).createIndex(Indexes.ascending("expireAt"),
                new IndexOptions().name("expire").expireAfter(0L, TimeUnit.SECONDS));
    }

    @Override
    public long take(String relay, QuotaWindow window, long cap, long wanted) {
        QuotaLedger.check(relay, window, cap, wanted);
        String id = id(relay, window);
        // The first try assumes room for all (one round trip when there is); a miss reads what is left.
        long grant = Math.min(wanted, cap);
        for (int tries = 1; tries <= MAX_TRIES; tries++) {
            if (tryIncrement(id, relay, window, cap, grant)) {
                return grant;
            }
            grant = Math.min(wanted, cap - used(id));
            if (grant <= 0) {
                return 0;
            }
        }
        log.debug("relay {} {}: {} tries lost to other nodes; granting nothing this time", relay, window, MAX_TRIES);
        return 0;
    }

    /** One guarded {@code $inc}; false when the window has less than {@code grant} left or another node came first. */
    private boolean tryIncrement(String id, String relay, QuotaWindow window, long cap, long grant) {
        Bson room = Filters.and(Filters.eq("_id", id), Filters.lte("used", cap - grant));
        Bson take = Updates.combine(Updates.inc("used", grant), Updates.set("cap", cap),
                Updates.setOnInsert("relay", relay), Updates.setOnInsert("kind", window.kind().name()),
                Updates.setOnInsert("key", window.key()),
                Updates.setOnInsert("expireAt", Date.from(window.endsAt().plus(KEPT_AFTER_WINDOW))));
        try {
            // No document matches either when the window has too little left or when it has no document yet; the
            // upsert then inserts one, which fails on the unique _id in the first case.
            UpdateResult result = quotas.updateOne(room, take, new UpdateOptions().upsert(true));
            return result.getModifiedCount() == 1 || result.getUpsertedId() != null;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return false;
        }
    }

    @Override
    public void giveBack(String relay, QuotaWindow window, long units) {
        QuotaLedger.check(relay, window, 1, units);
        UpdateResult result = quotas.updateOne(Filters.and(Filters.eq("_id", id(relay, window)),
                Filters.gte("used", units)), Updates.inc("used", -units));
        if (result.getModifiedCount() == 0) {
            // Expired, or counted lower than this node took: keeping the count errs towards sending less.
            log.debug("relay {} {}: {} units not given back, the window has fewer counted", relay, window, units);
        }
    }

    @Override
    public long used(String relay, QuotaWindow window) {
        return used(id(relay, window));
    }

    @Override
    public List<QuotaUse> uses(QuotaWindow window) {
        List<QuotaUse> uses = new ArrayList<>();
        for (Document d : quotas.find(Filters.and(Filters.eq("kind", window.kind().name()), Filters.eq("key", window.key())))
                .sort(Sorts.ascending("relay"))) {
            uses.add(new QuotaUse(d.getString("relay"), window, number(d.get("used")), number(d.get("cap"))));
        }
        return uses;
    }

    private long used(String id) {
        Document d = quotas.find(Filters.eq("_id", id)).projection(Projections.include("used")).first();
        return d == null ? 0 : number(d.get("used"));
    }

    /** Relay names have no ':' and window keys differ by kind, so each relay and window has its own document. */
    static String id(String relay, QuotaWindow window) {
        return relay + ":" + window.key();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
