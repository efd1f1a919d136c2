package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.mailcast.delivery.UncertainCause;
import io.mailcast.message.MessageStatus;
import io.mailcast.message.MessageStore;
import io.mailcast.message.Settlement;
import io.mailcast.message.StoredMessage;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.mailcast.store.MessageDocuments.API_KEY;
import static io.mailcast.store.MessageDocuments.ATTEMPTS;
import static io.mailcast.store.MessageDocuments.LEASE_UNTIL;
import static io.mailcast.store.MessageDocuments.NOT_BEFORE;
import static io.mailcast.store.MessageDocuments.OWNER;
import static io.mailcast.store.MessageDocuments.STATUS;
import static io.mailcast.store.MessageDocuments.UNCERTAIN_CAUSE;
import static io.mailcast.store.MessageDocuments.UPDATED_AT;
import static io.mailcast.store.MessageDocuments.date;

/**
 * Messages of the send API in {@code messages} ({@code _id} = message id), the queue the dispatchers claim from.
 *
 * <p>Idempotency keys live in {@code idempotency_keys}, {@code _id} = API key id and client key, so the unique
 * {@code _id} index decides between concurrent retries. The key entry is written first and names the message id; the
 * message is then inserted with that id, so whoever comes second (a retry, or a caller whose first try died between
 * the two writes) inserts the same id or finds it there: one message per key, whatever the interleaving. Entries expire
 * through a TTL index after {@link MessageStore#IDEMPOTENCY_WINDOW_HOURS} hours; one that MongoDB has not yet removed is
 * treated as gone once it is older than that.
 */
public final class MongoMessageStore implements MessageStore {

    private static final String CREATED_AT = "createdAt";
    private static final String MESSAGE_ID = "messageId";

    private final MongoCollection<Document> messages;
    private final MongoCollection<Document> keys;

    public MongoMessageStore(MongoConnection mongo) {
        this.messages = mongo.database().getCollection(Collections.MESSAGES);
        this.keys = mongo.database().getCollection(Collections.IDEMPOTENCY_KEYS);
    }

    static void ensureIndexes(MongoDatabase database) {
        MongoCollection<Document> messages = database.getCollection(Collections.MESSAGES);
        messages.createIndex(Indexes.ascending(STATUS, NOT_BEFORE), new IndexOptions().name("status_notBefore"));
        messages.createIndex(Indexes.ascending(STATUS, LEASE_UNTIL), new IndexOptions().name("status_leaseUntil"));
        MongoWebhookOutbox.ensureIndexes(messages);
        database.getCollection(Collections.IDEMPOTENCY_KEYS).createIndex(Indexes.ascending(CREATED_AT),
                new IndexOptions().name("expire").expireAfter(IDEMPOTENCY_WINDOW_HOURS, TimeUnit.HOURS));
    }

    @Override
    public Accepted accept(StoredMessage queued) {
        if (queued.idempotencyKey() == null) {
            messages.insertOne(MessageDocuments.toDocument(queued));
            return new Accepted(queued, true);
        }
        String keyId = queued.apiKeyId() + ":" + queued.idempotencyKey();
        String messageId = reserveKey(keyId, queued);
        return insertOnce(queued.withId(messageId));
    }

    /** The message id the key stands for: this message's, unless the key was used within the window. */
    private String reserveKey(String keyId, StoredMessage queued) {
        Instant now = queued.acceptedAt();
        Instant windowStart = now.minusSeconds(IDEMPOTENCY_WINDOW_HOURS * 3600);
        while (true) {
            if (InsertOnce.insert(keys, new Document("_id", keyId).append(MESSAGE_ID, queued.id())
                    .append(CREATED_AT, date(now)))) {
                return queued.id();
            }
            Document existing = keys.find(Filters.eq("_id", keyId)).first();
            if (existing == null) {
                continue; // expired between our insert and this read
            }
            if (existing.getDate(CREATED_AT).toInstant().isAfter(windowStart)) {
                return existing.getString(MESSAGE_ID);
            }
            // Older than the window but not yet removed by the TTL monitor: take it over, unless someone else just did.
            Document taken = keys.findOneAndUpdate(
                    Filters.and(Filters.eq("_id", keyId), Filters.eq(CREATED_AT, existing.getDate(CREATED_AT))),
                    Updates.combine(Updates.set(MESSAGE_ID, queued.id()), Updates.set(CREATED_AT, date(now))));
            if (taken != null) {
                return queued.id();
            }
        }
    }

    private Accepted insertOnce(StoredMessage message) {
        if (InsertOnce.insert(messages, MessageDocuments.toDocument(message))) {
            return new Accepted(message, true);
        }
        return new Accepted(MessageDocuments.fromDocument(messages.find(Filters.eq("_id", message.id())).first()), false);
    }

    @Override
    public Optional<StoredMessage> find(String id, String apiKeyId) {
        return Optional.ofNullable(messages.find(Filters.and(Filters.eq("_id", id), Filters.eq(API_KEY, apiKeyId))).first())
                .map(MessageDocuments::fromDocument);
    }

    @Override
    public Optional<Claim> claimNext(String owner, Instant now, Instant leaseUntil) {
        Document queued = messages.findOneAndUpdate(
                Filters.and(Filters.eq(STATUS, MessageStatus.QUEUED.name()), Filters.lte(NOT_BEFORE, date(now))),
                claimUpdate(owner, now, leaseUntil, false), claimOptions());
        if (queued != null) {
            return Optional.of(new Claim(MessageDocuments.fromDocument(queued), false));
        }
        Document orphan = messages.findOneAndUpdate(
                Filters.and(Filters.eq(STATUS, MessageStatus.PROCESSING.name()), Filters.lt(LEASE_UNTIL, date(now))),
                claimUpdate(owner, now, leaseUntil, true), claimOptions());
        return Optional.ofNullable(orphan).map(d -> new Claim(MessageDocuments.fromDocument(d), true));
    }

    @Override
    public Optional<Claim> claim(String id, String owner, Instant now, Instant leaseUntil) {
        Document claimed = messages.findOneAndUpdate(Filters.and(Filters.eq("_id", id),
                        Filters.eq(STATUS, MessageStatus.QUEUED.name()), Filters.lte(NOT_BEFORE, date(now))),
                claimUpdate(owner, now, leaseUntil, false), claimOptions());
        return Optional.ofNullable(claimed).map(d -> new Claim(MessageDocuments.fromDocument(d), false));
    }

    private static Bson claimUpdate(String owner, Instant now, Instant leaseUntil, boolean takeOver) {
        Bson update = Updates.combine(Updates.set(STATUS, MessageStatus.PROCESSING.name()), Updates.set(OWNER, owner),
                Updates.set(LEASE_UNTIL, date(leaseUntil)), Updates.inc(ATTEMPTS, 1), Updates.set(UPDATED_AT, date(now)));
        return takeOver ? Updates.combine(update, Updates.set(UNCERTAIN_CAUSE, UncertainCause.NODE_DIED.label())) : update;
    }

    private static FindOneAndUpdateOptions claimOptions() {
        return new FindOneAndUpdateOptions().sort(Sorts.ascending(NOT_BEFORE)).returnDocument(ReturnDocument.AFTER);
    }

    @Override
    public boolean renew(StoredMessage claimed, Instant leaseUntil) {
        return messages.updateOne(heldBy(claimed), Updates.set(LEASE_UNTIL, date(leaseUntil))).getMatchedCount() == 1;
    }

    @Override
    public boolean settle(StoredMessage claimed, Settlement s) {
        Bson update = Updates.combine(Updates.set(STATUS, s.next().name()), Updates.set(OWNER, null),
                Updates.set(LEASE_UNTIL, null), Updates.set(NOT_BEFORE, date(s.notBefore())),
                Updates.set("delivered", s.delivered()), Updates.set("relay", s.relay()), Updates.set("reply", s.reply()),
                Updates.set(UNCERTAIN_CAUSE, s.uncertain() == null ? null : s.uncertain().label()),
                Updates.set(UPDATED_AT, date(s.at())));
        if (claimed.webhookUrl() != null && s.next() != MessageStatus.QUEUED) {
            // The report is queued in the same write as the outcome: neither exists without the other.
            update = Updates.combine(update, MongoWebhookOutbox.pendingFrom(s.at()));
        }
        return messages.updateOne(heldBy(claimed), update).getMatchedCount() == 1;
    }

    /** The claim is still the one this node made: same owner, same attempt, still PROCESSING. */
    private static Bson heldBy(StoredMessage claimed) {
        return Filters.and(Filters.eq("_id", claimed.id()), Filters.eq(STATUS, MessageStatus.PROCESSING.name()),
                Filters.eq(OWNER, claimed.owner()), Filters.eq(ATTEMPTS, claimed.attempts()));
    }

    @Override
    public Optional<StoredMessage> cancel(String id, String apiKeyId, Instant now) {
        Document cancelled = messages.findOneAndUpdate(Filters.and(Filters.eq("_id", id), Filters.eq(API_KEY, apiKeyId),
                        Filters.eq(STATUS, MessageStatus.QUEUED.name())),
                Updates.combine(Updates.set(STATUS, MessageStatus.CANCELLED.name()), Updates.set(UPDATED_AT, date(now))),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(cancelled).map(MessageDocuments::fromDocument);
    }

    @Override
    public long countUnfinished() {
        return messages.countDocuments(unfinished());
    }

    @Override
    public Optional<Instant> oldestUnfinished() {
        Document oldest = messages.find(unfinished()).sort(Sorts.ascending("acceptedAt"))
                .projection(Projections.include("acceptedAt")).limit(1).first();
        return Optional.ofNullable(oldest).map(d -> d.getDate("acceptedAt").toInstant());
    }

    /** Messages per API key and status, in one aggregation over the collection (for the CLI, not hot paths). */
    public Map<String, Map<MessageStatus, Long>> countsByKey() {
        Map<String, Map<MessageStatus, Long>> counts = new TreeMap<>();
        messages.aggregate(List.of(Aggregates.group(new Document("key", "$" + API_KEY).append("status", "$" + STATUS),
                Accumulators.sum("n", 1)))).forEach(d -> {
                    Document id = d.get("_id", Document.class);
                    counts.computeIfAbsent(id.getString("key"), k -> new EnumMap<>(MessageStatus.class))
                            .put(MessageStatus.valueOf(id.getString("status")), ((Number) d.get("n")).longValue());
                });
        return counts;
    }

    private static Bson unfinished() {
        return Filters.in(STATUS, MessageStatus.QUEUED.name(), MessageStatus.PROCESSING.name());
    }
}
