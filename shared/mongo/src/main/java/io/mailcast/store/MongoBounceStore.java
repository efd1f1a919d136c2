package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import io.mailcast.bounce.BounceKind;
import io.mailcast.bounce.BounceReport;
import io.mailcast.bounce.BounceStore;
import io.mailcast.bounce.BounceToken;
import io.mailcast.bounce.SoftBouncePolicy;
import io.mailcast.delivery.Outcome;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Bounces kept on the delivery ({@code bounce: {kind, status, diagnostic, at}}, outcome BOUNCED; a complaint as
 * {@code complaint: {...}} beside the outcome, the message having arrived), counted on the campaign's document with
 * {@code $inc} ({@value #BOUNCED}, {@value #HARD_BOUNCED}, {@value #COMPLAINTS}) so {@code status} reads them for
 * free, and soft bounces by address in {@code soft_bounces} for the soft-bounce policy.
 */
public final class MongoBounceStore implements BounceStore {

    public static final String BOUNCED = "bounced";
    public static final String HARD_BOUNCED = "hardBounced";
    public static final String COMPLAINTS = "complaints";
    static final String BOUNCE = "bounce";
    static final String COMPLAINT = "complaint";

    private final MongoCollection<Document> deliveries;
    private final MongoCollection<Document> campaigns;
    private final MongoCollection<Document> softBounces;

    public MongoBounceStore(MongoConnection mongo) {
        this.deliveries = mongo.database().getCollection(Collections.DELIVERIES);
        this.campaigns = mongo.database().getCollection(Collections.CAMPAIGNS);
        this.softBounces = mongo.database().getCollection(Collections.SOFT_BOUNCES);
    }

    static void ensureIndexes(MongoDatabase database) {
        database.getCollection(Collections.SOFT_BOUNCES).createIndex(Indexes.ascending("address", "at"),
                new IndexOptions().name("address_at"));
        // Without it the collection grows by every soft bounce ever received; MongoDB's TTL monitor removes old ones.
        database.getCollection(Collections.SOFT_BOUNCES).createIndex(Indexes.ascending("at"), new IndexOptions()
                .name("expire").expireAfter(SoftBouncePolicy.LONGEST_WINDOW.toSeconds(), TimeUnit.SECONDS));
    }

    @Override
    public Optional<RecordedBounce> record(BounceToken token, BounceReport report, Instant at) {
        String key = token.campaignId() + ":" + token.subscriberKey();
        boolean complaint = report.kind() == BounceKind.COMPLAINT;
        String field = complaint ? COMPLAINT : BOUNCE;
        Document evidence = new Document("kind", report.kind().name()).append("status", report.status())
                .append("at", Date.from(at));
        if (report.diagnostic() != null) {
            evidence.append("diagnostic", report.diagnostic());
        }
        // Only a delivery that was sent can bounce; the first report of each kind wins, so a resent one counts once.
        Bson first = Filters.and(Filters.eq("_id", key), Filters.exists(field, false));
        Bson filter = complaint ? first
                : Filters.and(first, Filters.in("outcome", Outcome.SENT.name(), Outcome.BOUNCED.name()));
        Bson update = complaint ? Updates.set(field, evidence)
                : Updates.combine(Updates.set(field, evidence), Updates.set("outcome", Outcome.BOUNCED.name()));
        Document before = deliveries.findOneAndUpdate(filter, update,
                new FindOneAndUpdateOptions().projection(Projections.include("email")));
        if (before != null) {
            campaigns.updateOne(Filters.eq("_id", token.campaignId()), switch (report.kind()) {
                case HARD -> Updates.combine(Updates.inc(BOUNCED, 1), Updates.inc(HARD_BOUNCED, 1));
                case SOFT -> Updates.inc(BOUNCED, 1);
                case COMPLAINT -> Updates.inc(COMPLAINTS, 1);
            });
            return Optional.of(new RecordedBounce(before.getString("email"), true));
        }
        Document existing = deliveries.find(Filters.eq("_id", key)).projection(Projections.include("email")).first();
        return existing == null ? Optional.empty() : Optional.of(new RecordedBounce(existing.getString("email"), false));
    }

    @Override
    public long softBounce(String address, Instant at, Instant since) {
        softBounces.insertOne(new Document("address", address).append("at", Date.from(at)));
        return softBounces.countDocuments(Filters.and(Filters.eq("address", address), Filters.gte("at", Date.from(since))));
    }
}
