package io.mailcast.testing;

import io.mailcast.apikey.ApiKey;
import io.mailcast.apikey.ApiKeySecret;
import io.mailcast.http.SendApi;
import io.mailcast.http.SendApiConfig;
import io.mailcast.message.DispatchTuning;
import io.mailcast.message.MessageDispatcher;
import io.mailcast.message.MessageIntake;
import io.mailcast.message.MessageLimits;
import io.mailcast.message.MessageStats;
import io.mailcast.message.MessageValidator;
import io.mailcast.sender.Sender;
import io.mailcast.store.MongoApiKeyStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoApiTemplateStore;
import io.mailcast.store.MongoMessageStore;
import io.mailcast.store.MongoSuppressionList;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The send API over real HTTP as a node wires it: Mongo stores, the intake, a dispatcher sending through
 * {@code sender}, on a free port. Without a sender nothing is dispatched, so messages stay QUEUED.
 */
public final class SendApiFixture implements AutoCloseable {

    private final MongoApiKeyStore keys;
    private final MongoMessageStore store;
    private final MessageStats stats = new MessageStats();
    private final MessageDispatcher dispatcher;
    private final SendApi api;

    private SendApiFixture(MongoConnection mongo, Sender sender, Clock clock) {
        this.keys = new MongoApiKeyStore(mongo);
        this.store = new MongoMessageStore(mongo);
        this.dispatcher = sender == null ? null : new MessageDispatcher(store, sender, "node-test",
                new DispatchTuning(16, Duration.ofSeconds(30), 3, Duration.ofMillis(200), Duration.ofMillis(100)), stats,
                clock);
        var intake = new MessageIntake(store, new MessageValidator(MessageLimits.DEFAULT), new MongoSuppressionList(mongo),
                new MongoApiTemplateStore(mongo), stats, clock,
                dispatcher == null ? m -> { } : dispatcher::accepted);
        if (dispatcher != null) {
            dispatcher.start();
        }
        this.api = SendApi.start(SendApiConfig.onPort(0), intake, store, keys, MessageLimits.DEFAULT, clock);
    }

    public static SendApiFixture start(MongoConnection mongo, Sender sender) {
        return new SendApiFixture(mongo, sender, Clock.systemUTC());
    }

    /** An API that stores but never sends. */
    public static SendApiFixture withoutDispatcher(MongoConnection mongo) {
        return new SendApiFixture(mongo, null, Clock.systemUTC());
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + api.port());
    }

    /** A new key for {@code domains}; returns its secret. */
    public String createKey(double ratePerSecond, String... domains) {
        String secret = ApiKeySecret.generate();
        keys.insert(new ApiKey(UUID.randomUUID().toString(), "test", ApiKeySecret.hash(secret), List.of(domains),
                ratePerSecond, Clock.systemUTC().instant(), null));
        return secret;
    }

    public MongoApiKeyStore keys() {
        return keys;
    }

    public MongoMessageStore store() {
        return store;
    }

    public MessageStats stats() {
        return stats;
    }

    @Override
    public void close() {
        api.close();
        if (dispatcher != null) {
            dispatcher.close();
        }
    }
}
