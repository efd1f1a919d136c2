package io.mailcast.lab;

import io.mailcast.cli.Cli;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.store.MongoConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code bin/lab karma8-day}: seed 004's daily reminders at a given size, over simulated days, as a table. */
@Command(name = "karma8-day", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Runs seed 004's expiry reminders (3 and 1 days before validts) over simulated days on an embedded "
                + "MongoDB and two engines on a two-member Hazelcast cluster (loopback TCP), and prints per day: reminders "
                + "due (worked out from the generated users), sent, seconds from slot to last reminder, and headroom (how "
                + "many times that day's load one daily slot could carry).")
public final class Karma8DayCommand implements Callable<Integer> {

    @Option(names = "--users", defaultValue = "1000000", description = "Users, as populate --preset karma8 (default: ${DEFAULT-VALUE})")
    long users;

    @Option(names = "--days", defaultValue = "3", description = "Simulated days, 1-30 (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--chunk-size", defaultValue = "250", description = "Recipients per chunk (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(names = "--concurrency", defaultValue = "1000", description = "Sends in flight per engine (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--latency-ms", defaultValue = "20", description = "Simulated relay wait per e-mail (default: ${DEFAULT-VALUE})")
    long latencyMs;

    @Option(names = "--base-port", defaultValue = "5951", description = "First of the two member ports (default: ${DEFAULT-VALUE})")
    int basePort;

    @Override
    public Integer call() throws InterruptedException {
        if (users < 1 || users > 50_000_000) {
            throw new IllegalArgumentException("--users must be between 1 and 50000000, got " + users);
        }
        if (days < 1 || days > 30) {
            throw new IllegalArgumentException("--days must be between 1 and 30 (expiries spread over 30 days), got " + days);
        }
        if (chunkSize < 1 || chunkSize > 100_000) {
            throw new IllegalArgumentException("--chunk-size must be between 1 and 100000, got " + chunkSize);
        }
        if (concurrency < 1 || latencyMs < 0) {
            throw new IllegalArgumentException("--concurrency must be at least 1 and --latency-ms 0 or more");
        }
        try (EmbeddedMongo server = EmbeddedMongo.start("127.0.0.1", 0);
             MongoConnection mongo = MongoConnection.open(server.uri(), Duration.ofSeconds(10)).ensureIndexes()) {
            var run = new Karma8Days(mongo, EmbeddedSubscriberSource.over(mongo), new Karma8Days.Settings(users, days,
                    chunkSize, concurrency, Duration.ofMillis(latencyMs), basePort));
            long started = System.nanoTime();
            run.populate(n -> { });
            System.out.printf(Locale.ROOT, "populated %,d karma8 users in %.0f s; first slot %s%n", users,
                    (System.nanoTime() - started) / 1e9, run.firstSlot());
            System.out.println("| day | slot (UTC) | reminders due | sent | slot → last reminder s | headroom |");
            System.out.println("|---|---|---|---|---|---|");
            List<Karma8Days.Day> result = run.run(d -> System.out.printf(Locale.ROOT, "| %d | %s | %,d | %,d | %.1f | %.0f× |%n",
                    d.day() + 1, d.slot(), d.due(), d.sent(), d.seconds(), d.headroom()));
            boolean exact = result.stream().allMatch(d -> d.sent() == d.due());
            System.out.println(exact ? "every due reminder sent once" : "MISMATCH: sent differs from due on some day");
            return exact ? Cli.OK : Cli.FAILED;
        }
    }
}
