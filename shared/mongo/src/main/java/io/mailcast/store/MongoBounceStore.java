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
import io.mailcast.message.MessageBounce;
import io.mailcast.message.StoredMessage;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
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
    private final MongoCollection<Document> messages;

    public MongoBounceStore(MongoConnection mongo) {
        this.deliveries = mongo.database().getCollection(Collections.DELIVERIES);
        this.campaigns = mongo.database().getCollection(Collections.CAMPAIGNS);
        this.softBounces = mongo.database().getCollection(Collections.SOFT_BOUNCES);
        this.messages = mongo.database().getCollection(Collections.MESSAGES);
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
        if (token.campaignId().startsWith(StoredMessage.TRACKING_PREFIX)) {
            return recordOnMessage(token.campaignId().substring(StoredMessage.TRACKING_PREFIX.length()),
                    token.subscriberKey(), report, at);
        }
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

    /**
     * A send-API message's copy: its token carries the message id and the recipient's place in to + cc. The first
     * report of each kind per recipient is kept in the message's {@code bounces}; a message is not a campaign, so there
     * is no count to raise.
     */
    private Optional<RecordedBounce> recordOnMessage(String messageId, String index, BounceReport report, Instant at) {
        Document message = messages.find(Filters.eq("_id", messageId)).projection(Projections.include("to", "cc")).first();
        int position;
        try {
            position = Integer.parseInt(index);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        List<String> recipients = new ArrayList<>(message == null ? List.of() : message.getList("to", String.class, List.of()));
        recipients.addAll(message == null ? List.of() : message.getList("cc", String.class, List.of()));
        if (position < 0 || position >= recipients.size()) {
            return Optional.empty();
        }
        String recipient = recipients.get(position);
        Document entry = MessageDocuments.bounceDocument(new MessageBounce(recipient, report.kind().name(),
                report.status(), report.diagnostic(), at));
        Bson firstOfItsKind = Filters.and(Filters.eq("_id", messageId), Filters.not(Filters.elemMatch(
                MessageDocuments.BOUNCES, Filters.and(Filters.eq("recipient", recipient),
                        Filters.eq("kind", report.kind().name())))));
        // With a webhook, the report goes out again in the same write; without one, the bounce alone is kept.
        long added = messages.updateOne(Filters.and(firstOfItsKind, Filters.ne(MessageDocuments.WEBHOOK_URL, null)),
                Updates.combine(Updates.push(MessageDocuments.BOUNCES, entry), MongoWebhookOutbox.pendingFrom(at)))
                .getModifiedCount();
        if (added == 0) {
            added = messages.updateOne(Filters.and(firstOfItsKind, Filters.eq(MessageDocuments.WEBHOOK_URL, null)),
                    Updates.push(MessageDocuments.BOUNCES, entry)).getModifiedCount();
        }
        return Optional.of(new RecordedBounce(recipient, added > 0));
    }

    @Override
    public long softBounce(String address, Instant at, Instant since) {
        softBounces.insertOne(new Document("address", address).append("at", Date.from(at)));
        return softBounces.countDocuments(Filters.and(Filters.eq("address", address), Filters.gte("at", Date.from(since))));
    }
}
