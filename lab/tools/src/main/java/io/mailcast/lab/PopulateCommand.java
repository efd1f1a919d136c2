package io.mailcast.lab;

import io.mailcast.cli.Cli;
import io.mailcast.coordinator.ConnectionOptions;
import io.mailcast.lab.fixtures.IdType;
import io.mailcast.lab.fixtures.Karma8Generator;
import io.mailcast.lab.fixtures.SubscriberGenerator;
import io.mailcast.store.MongoConnection;
import io.mailcast.subscriber.Subscriber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;

@Command(name = "populate", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Generates realistic subscribers with ids 1..N (the original challenge: 1.5M users, 1M subscribed). "
                + "Re-running never duplicates: existing ids are left as they are.")
public final class PopulateCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--users", required = true, description = "Number of users to generate")
    long users;

    @Option(names = "--subscribed-ratio", defaultValue = "0.6667", description = "Share subscribed (default: ${DEFAULT-VALUE})")
    double subscribedRatio;

    @Option(names = "--invalid-ratio", defaultValue = "0", description = "Share with malformed addresses (default: ${DEFAULT-VALUE})")
    double invalidRatio;

    @Option(names = "--id-type", defaultValue = "long", converter = BenchCommand.IdTypeConverter.class,
            description = "Subscriber _id type: long, objectid or string (default: ${DEFAULT-VALUE})")
    IdType idType;

    @Option(names = "--preset", description = "karma8: seed 004's users (validts, confirmed, checked, valid under "
            + "attributes, 20 %% with a subscription ending in the next 30 days); ignores the ratios")
    String preset;

    @Override
    public Integer call() throws InterruptedException {
        if (users < 1) {
            throw new IllegalArgumentException("--users must be at least 1, got " + users);
        }
        LongFunction<Subscriber> people = people();
        try (MongoConnection mongo = connection.mongo().ensureIndexes()) {
            long start = System.nanoTime();
            long step = Math.max(Population.BATCH, users / 10);
            long inserted = Population.populate(mongo, users, people, done -> {
                if (done % step < Population.BATCH) {
                    System.err.printf("  %,d / %,d%n", done, users);
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("populated %,d users (%,d new) in %.1f s (%,.0f/s) into %s%n", users, inserted, seconds,
                    users / seconds, mongo.safeUri());
            return Cli.OK;
        }
    }

    private LongFunction<Subscriber> people() {
        if (preset == null) {
            return new SubscriberGenerator(subscribedRatio, invalidRatio, idType)::subscriber;
        }
        if (!preset.equals("karma8")) {
            throw new IllegalArgumentException("--preset must be karma8 (seed 004's expiring subscriptions), got '" + preset + "'");
        }
        return new Karma8Generator(Clock.systemUTC().instant())::subscriber;
    }
}
