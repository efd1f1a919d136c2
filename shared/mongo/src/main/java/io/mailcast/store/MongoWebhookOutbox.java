package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.mailcast.webhook.PendingWebhook;
import io.mailcast.webhook.WebhookOutbox;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.Optional;

import static io.mailcast.store.MessageDocuments.WEBHOOK;
import static io.mailcast.store.MessageDocuments.date;

/**
 * The webhook outbox inside {@code messages}: each message with a webhook carries its report's state in
 * {@code webhook} (PENDING, SENDING, DELIVERED, GAVE_UP), so queuing a report is part of the write that settles the
 * message or records its bounce. A claim is a compare-and-set like the messages' own, fenced by owner and attempt.
 */
public final class MongoWebhookOutbox implements WebhookOutbox {

    static final String STATE = WEBHOOK + ".state";
    private static final String DUE = WEBHOOK + ".due";
    private static final String OWNER = WEBHOOK + ".owner";
    private static final String LEASE = WEBHOOK + ".lease";
    private static final String ATTEMPTS = WEBHOOK + ".attempts";
    private static final String ERROR = WEBHOOK + ".error";
    private static final String AT = WEBHOOK + ".at";

    enum State { PENDING, SENDING, DELIVERED, GAVE_UP }

    private final MongoCollection<Document> messages;

    public MongoWebhookOutbox(MongoConnection mongo) {
        this.messages = mongo.database().getCollection(Collections.MESSAGES);
    }

    static void ensureIndexes(MongoCollection<Document> messages) {
        messages.createIndex(Indexes.ascending(STATE, DUE), new IndexOptions().name("webhook_state_due"));
    }

    /** The update that queues a (new) report from {@code at}: a later bounce re-queues the message's report. */
    static Bson pendingFrom(Instant at) {
        return Updates.combine(Updates.set(STATE, State.PENDING.name()), Updates.set(DUE, date(at)),
                Updates.set(ATTEMPTS, 0), Updates.set(OWNER, null), Updates.set(LEASE, null));
    }

    @Override
    public Optional<PendingWebhook> claimNext(String owner, Instant now, Instant leaseUntil) {
        Bson claim = Updates.combine(Updates.set(STATE, State.SENDING.name()), Updates.set(OWNER, owner),
                Updates.set(LEASE, date(leaseUntil)), Updates.inc(ATTEMPTS, 1));
        var options = new FindOneAndUpdateOptions().sort(Sorts.ascending(DUE)).returnDocument(ReturnDocument.AFTER);
        Document claimed = messages.findOneAndUpdate(Filters.and(Filters.eq(STATE, State.PENDING.name()),
                Filters.lte(DUE, date(now))), claim, options);
        if (claimed == null) {
            // Claimed by a node that died: its lease ran out, the report may or may not have arrived; send it again.
            claimed = messages.findOneAndUpdate(Filters.and(Filters.eq(STATE, State.SENDING.name()),
                    Filters.lt(LEASE, date(now))), claim, options);
        }
        return Optional.ofNullable(claimed).map(d -> new PendingWebhook(MessageDocuments.fromDocument(d),
                d.get(WEBHOOK, Document.class).getInteger("attempts", 1), owner));
    }

    @Override
    public boolean delivered(PendingWebhook claimed, Instant at) {
        return settle(claimed, Updates.combine(Updates.set(STATE, State.DELIVERED.name()), Updates.set(AT, date(at)),
                Updates.set(ERROR, null)));
    }

    @Override
    public boolean retryAt(PendingWebhook claimed, Instant due, String error) {
        return settle(claimed, Updates.combine(Updates.set(STATE, State.PENDING.name()), Updates.set(DUE, date(due)),
                Updates.set(ERROR, error)));
    }

    @Override
    public boolean giveUp(PendingWebhook claimed, Instant at, String error) {
        return settle(claimed, Updates.combine(Updates.set(STATE, State.GAVE_UP.name()), Updates.set(AT, date(at)),
                Updates.set(ERROR, error)));
    }

    /** Only the claim's holder may end it, and only while no newer report was queued over it. */
    private boolean settle(PendingWebhook claimed, Bson update) {
        Bson held = Filters.and(Filters.eq("_id", claimed.message().id()), Filters.eq(STATE, State.SENDING.name()),
                Filters.eq(OWNER, claimed.owner()), Filters.eq(ATTEMPTS, claimed.attempt()));
        return messages.updateOne(held, Updates.combine(update, Updates.set(OWNER, null), Updates.set(LEASE, null)))
                .getMatchedCount() == 1;
    }
}
