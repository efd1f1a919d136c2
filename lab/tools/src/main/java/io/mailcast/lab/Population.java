package io.mailcast.lab;

import io.mailcast.lab.fixtures.MongoSubscriberWriter;
import io.mailcast.lab.fixtures.SubscriberGenerator;
import io.mailcast.store.MongoConnection;
import io.mailcast.subscriber.Subscriber;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/** Writes generated subscribers with ids 1..N in unordered bulk batches, two writers at a time. */
final class Population {

    static final int BATCH = 10_000;
    private static final int WRITERS = 2;

    private Population() {
    }

    /** @return subscribers newly inserted (ids already present are kept as they are) */
    static long populate(MongoConnection mongo, long users, SubscriberGenerator generator, LongConsumer progress)
            throws InterruptedException {
        return populate(mongo, users, generator::subscriber, progress);
    }

    /** @param people subscriber number {@code id} (1, 2, ...), the same for the same id */
    static long populate(MongoConnection mongo, long users, LongFunction<Subscriber> people, LongConsumer progress)
            throws InterruptedException {
        MongoSubscriberWriter writer = new MongoSubscriberWriter(mongo.database());
        AtomicLong done = new AtomicLong();
        AtomicLong inserted = new AtomicLong();
        try (ExecutorService pool = Executors.newFixedThreadPool(WRITERS)) {
            List<Future<?>> futures = new ArrayList<>();
            for (long start = 1; start <= users; start += BATCH) {
                long from = start;
                long to = Math.min(users, start + BATCH - 1);
                futures.add(pool.submit(() -> {
                    List<Subscriber> batch = new ArrayList<>((int) (to - from + 1));
                    for (long id = from; id <= to; id++) {
                        batch.add(people.apply(id));
                    }
                    inserted.addAndGet(writer.insert(batch));
                    progress.accept(done.addAndGet(batch.size()));
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return inserted.get();
    }
}
