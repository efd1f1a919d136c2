package io.mailcast.testing;

import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.store.MongoConnection;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;

/**
 * An embedded, in-memory MongoDB (mongo-java-server on a free port) with a connection whose indexes are ensured.
 * <p>
 * As a JUnit 5 extension, on a static field, it starts before the class's tests and stops after them:
 * <pre>{@code
 * @RegisterExtension
 * static final MongoFixture mongo = new MongoFixture();
 *
 * @BeforeEach
 * void clean() { mongo.dropAll(); }
 * }</pre>
 * Or by hand: {@code try (MongoFixture mongo = MongoFixture.start()) { ... }}. It starts lazily on first use either way.
 */
public final class MongoFixture implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private EmbeddedMongo server;
    private MongoConnection connection;

    /** A started fixture, for use outside JUnit's extension model; close it when done. */
    public static MongoFixture start() {
        MongoFixture fixture = new MongoFixture();
        fixture.ensureStarted();
        return fixture;
    }

    /** The connection (started on first use), with the product's indexes created. */
    public synchronized MongoConnection connection() {
        ensureStarted();
        return connection;
    }

    /** The server's URI, for code that opens its own connection. */
    public synchronized String uri() {
        ensureStarted();
        return server.uri();
    }

    /** Drops every collection of the database and re-creates the indexes: a fresh, empty store. */
    public synchronized void dropAll() {
        ensureStarted();
        var database = connection.database();
        for (String name : database.listCollectionNames()) {
            database.getCollection(name).drop();
        }
        connection.ensureIndexes();
    }

    private void ensureStarted() {
        if (connection != null) {
            return;
        }
        EmbeddedMongo started = EmbeddedMongo.start("127.0.0.1", 0);
        try {
            connection = MongoConnection.open(started.uri(), CONNECT_TIMEOUT).ensureIndexes();
            server = started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (this) {
            ensureStarted();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }
}
