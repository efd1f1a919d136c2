package io.mailcast.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.bson.Document;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One client per process for the database named in the URI ({@code mailcast} when the URI names none). Creates the
 * indexes the queries rely on.
 */
public final class MongoConnection implements AutoCloseable {

    public static final String DEFAULT_DATABASE = "mailcast";
    private static final int READ_TIMEOUT_SECONDS = 30;

    private final MongoClient client;
    private final MongoDatabase database;
    private final String safeUri;

    private MongoConnection(MongoClient client, MongoDatabase database, String safeUri) {
        this.client = client;
        this.database = database;
        this.safeUri = safeUri;
    }

    /**
     * Connects and pings. Throws {@link StoreUnavailableException} with a message naming the (credential-free) URI when
     * the server does not answer within {@code timeout}.
     */
    public static MongoConnection open(String uri, Duration timeout) {
        ConnectionString cs;
        try {
            cs = new ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mongo-uri is not a MongoDB connection string (" + e.getMessage()
                    + "); expected something like mongodb://host:27017/mailcast", e);
        }
        String safe = redact(cs);
        MongoClientSettings.Builder builder = MongoClientSettings.builder().applyConnectionString(cs);
        if (cs.getWriteConcern() == null) {
            // An acknowledged outcome must survive a MongoDB crash: the promise rests on it. A URI may say otherwise.
            builder.writeConcern(WriteConcern.MAJORITY.withJournal(true));
        }
        MongoClientSettings settings = builder
                .applyToClusterSettings(b -> b.serverSelectionTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS))
                // A read timeout, so a node cut off from MongoDB fails its writes (and keeps them) instead of hanging.
                .applyToSocketSettings(b -> b.connectTimeout((int) Math.min(timeout.toMillis(), 10_000), TimeUnit.MILLISECONDS)
                        .readTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .build();
        MongoClient client = MongoClients.create(settings);
        String db = cs.getDatabase() == null ? DEFAULT_DATABASE : cs.getDatabase();
        MongoConnection connection = new MongoConnection(client, client.getDatabase(db), safe);
        try {
            connection.ping();
        } catch (StoreUnavailableException e) {
            client.close();
            throw e;
        }
        return connection;
    }

    public void ping() {
        try {
            database.runCommand(new Document("ping", 1));
        } catch (MongoException e) {
            throw new StoreUnavailableException("MongoDB at " + safeUri + " is unreachable: " + firstLine(e.getMessage())
                    + ". Start it, or point --mongo-uri / MAILCAST_MONGO_URI at a running server", e);
        }
    }

    /**
     * Indexes the queries rely on; creating an existing index is a no-op. Subscribers need none beyond {@code _id}:
     * chunks are read by id, and an index on a boolean such as {@code subscribed} would only mislead the planner.
     */
    public MongoConnection ensureIndexes() {
        database.getCollection(Collections.DELIVERIES).createIndex(
                Indexes.ascending("campaignId", "outcome"), new IndexOptions().name("campaign_outcome"));
        // Only flagged deliveries (a handful per campaign) are in it, so status counts them by cause cheaply and the
        // million ordinary inserts of a campaign do not pay for it.
        database.getCollection(Collections.DELIVERIES).createIndex(
                Indexes.ascending("campaignId", MongoDeliveryStore.UNCERTAIN_CAUSE), new IndexOptions()
                        .name("campaign_uncertain_cause")
                        .partialFilterExpression(Filters.exists(MongoDeliveryStore.UNCERTAIN_CAUSE)));
        database.getCollection(Collections.CHUNKS).createIndex(
                Indexes.ascending("campaignId", "index"), new IndexOptions().name("campaign_index"));
        database.getCollection(Collections.VALIDATION_CHUNKS).createIndex(
                Indexes.ascending("campaignId", "index"), new IndexOptions().name("campaign_index"));
        // Chunks look suppressions up by _id; only `suppression list --reason` needs this one.
        database.getCollection(Collections.SUPPRESSIONS).createIndex(
                Indexes.ascending("reason", "_id"), new IndexOptions().name("reason_address"));
        MongoMessageStore.ensureIndexes(database);
        MongoApiKeyStore.ensureIndexes(database);
        MongoBounceStore.ensureIndexes(database);
        MongoFiringStore.ensureIndexes(database);
        MongoQuotaLedger.ensureIndexes(database);
        return this;
    }

    /** The database named in the connection string (Mailcast's own collections live there). */
    public MongoDatabase database() {
        return database;
    }

    /** Another database on the same connection (where an application keeps its subscribers); {@code null}: the own one. */
    public MongoDatabase database(String name) {
        return name == null ? database : client.getDatabase(name);
    }

    /** The URI without credentials, for logs and messages. */
    public String safeUri() {
        return safeUri;
    }

    @Override
    public void close() {
        client.close();
    }

    /** The URI without credentials or options, for logs; unparsable input is not echoed. */
    public static String redact(String uri) {
        try {
            return redact(new ConnectionString(uri));
        } catch (IllegalArgumentException e) {
            return "<invalid mongo uri>";
        }
    }

    static String redact(ConnectionString cs) {
        String hosts = String.join(",", cs.getHosts());
        return "mongodb://" + hosts + "/" + (cs.getDatabase() == null ? DEFAULT_DATABASE : cs.getDatabase());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no answer";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
