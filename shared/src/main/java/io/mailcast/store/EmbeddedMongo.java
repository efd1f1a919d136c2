package io.mailcast.store;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The wire-compatible MongoDB server from mongo-java-server, for the demo, the benchmark and tests: everything talks to
 * it through the real driver. It differs from MongoDB in ways that matter here: range queries scan the collection,
 * while {@code $in} on {@code _id} uses its index (see {@link MongoSubscriberSource}); there are no replica sets, so no
 * transactions or change streams.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private final MongoServer server;
    private final String uri;

    private EmbeddedMongo(MongoServer server, String host, int port, String database) {
        this.server = server;
        this.uri = "mongodb://" + host + ":" + port + "/" + database;
    }

    /** In-memory server; {@code port} 0 picks a free port. */
    public static EmbeddedMongo start(String host, int port) {
        return start(host, port, null);
    }

    /** Server persisting to an H2 MVStore file in {@code dataDir} when given, in memory otherwise. */
    public static EmbeddedMongo start(String host, int port, Path dataDir) {
        MongoBackend backend;
        if (dataDir == null) {
            backend = new MemoryBackend();
        } else {
            try {
                Files.createDirectories(dataDir);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot create --data-dir " + dataDir + ": " + e.getMessage(), e);
            }
            backend = new H2Backend(dataDir.resolve("mailcast.mv").toString());
        }
        MongoServer server = new MongoServer(backend);
        server.bind(host, port);
        return new EmbeddedMongo(server, host, server.getLocalAddress().getPort(), MongoConnection.DEFAULT_DATABASE);
    }

    public String uri() {
        return uri;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
