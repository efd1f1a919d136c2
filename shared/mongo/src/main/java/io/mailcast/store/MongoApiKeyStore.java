package io.mailcast.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.mailcast.apikey.ApiKey;
import io.mailcast.apikey.ApiKeyStore;
import io.mailcast.apikey.Webhook;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/** API keys in {@code api_keys}; each request finds its key by the secret's hash through a unique index. */
public final class MongoApiKeyStore implements ApiKeyStore {

    private static final String SECRET_HASH = "secretHash";
    private static final String REVOKED_AT = "revokedAt";
    private static final String WEBHOOK = "webhook";

    private final MongoCollection<Document> keys;

    public MongoApiKeyStore(MongoConnection mongo) {
        this.keys = mongo.database().getCollection(Collections.API_KEYS);
    }

    static void ensureIndexes(MongoDatabase database) {
        database.getCollection(Collections.API_KEYS).createIndex(Indexes.ascending(SECRET_HASH),
                new IndexOptions().name("secret_hash").unique(true));
    }

    @Override
    public void insert(ApiKey key) {
        keys.insertOne(new Document("_id", key.id()).append("name", key.name()).append(SECRET_HASH, key.secretHash())
                .append("domains", key.domains()).append("ratePerSecond", key.ratePerSecond())
                .append("createdAt", Date.from(key.createdAt())).append(REVOKED_AT, null)
                .append(WEBHOOK, webhookDocument(key.webhook())));
    }

    @Override
    public Optional<ApiKey> find(String id) {
        return Optional.ofNullable(keys.find(Filters.eq("_id", id)).first()).map(MongoApiKeyStore::fromDocument);
    }

    @Override
    public boolean setWebhook(String id, Webhook webhook) {
        return keys.updateOne(Filters.eq("_id", id), Updates.set(WEBHOOK, webhookDocument(webhook))).getMatchedCount() == 1;
    }

    private static Document webhookDocument(Webhook webhook) {
        return webhook == null ? null : new Document("url", webhook.url()).append("secret", webhook.secret());
    }

    @Override
    public Optional<ApiKey> findBySecretHash(String secretHash) {
        return Optional.ofNullable(keys.find(Filters.eq(SECRET_HASH, secretHash)).first()).map(MongoApiKeyStore::fromDocument);
    }

    @Override
    public List<ApiKey> all() {
        return keys.find().sort(Sorts.ascending("createdAt")).map(MongoApiKeyStore::fromDocument).into(new ArrayList<>());
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return keys.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq(REVOKED_AT, null)),
                Updates.set(REVOKED_AT, Date.from(at))).getModifiedCount() == 1;
    }

    private static ApiKey fromDocument(Document d) {
        Date revoked = d.getDate(REVOKED_AT);
        Document webhook = d.get(WEBHOOK, Document.class);
        return new ApiKey(d.getString("_id"), d.getString("name"), d.getString(SECRET_HASH),
                d.getList("domains", String.class), d.getDouble("ratePerSecond"), d.getDate("createdAt").toInstant(),
                revoked == null ? null : revoked.toInstant(),
                webhook == null ? null : new Webhook(webhook.getString("url"), webhook.getString("secret")));
    }
}
