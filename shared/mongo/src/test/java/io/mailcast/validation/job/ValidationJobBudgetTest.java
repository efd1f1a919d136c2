package io.mailcast.validation.job;

import io.mailcast.chunk.ChunkLedger;
import io.mailcast.chunk.ChunkState;
import io.mailcast.chunk.ChunkSweeper;
import io.mailcast.chunk.LocalChunkBoard;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoDailyBudget;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.store.MongoValidationJobStore;
import io.mailcast.store.MongoVerdictStore;
import io.mailcast.subscriber.Audience;
import io.mailcast.testing.MongoFixture;
import io.mailcast.testing.SettableClock;
import io.mailcast.time.Sleeper;
import io.mailcast.validation.AddressValidation;
import io.mailcast.validation.BudgetLimits;
import io.mailcast.validation.DailyBudget;
import io.mailcast.validation.SimulatedValidator;
import io.mailcast.validation.SimulatedValidatorConfig;
import io.mailcast.validation.ValidationFigures;
import io.mailcast.validation.ValidationPolicy;
import io.mailcast.validation.ValidationRequirement;
import io.mailcast.validation.ValidationSlots;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A validation job larger than a day's budget, run by a node's workers on an injected clock that moves only when a
 * check waits: the first day's calls stop at the limit and the day is marked refused (status: "budget spent, waiting
 * until ..."), the job goes on at the next UTC day, and every address is paid for once.
 */
class ValidationJobBudgetTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final int ADDRESSES = 250;
    private static final int CALLS_PER_DAY = 100;

    @Test
    void aSpentBudgetHoldsTheJobUntilTheNextDay() throws Exception {
        mongo.dropAll();
        List<Document> docs = new ArrayList<>();
        for (int id = 1; id <= ADDRESSES; id++) {
            docs.add(new Document("_id", id).append("email", "user" + id + "@example.com").append("subscribed", true));
        }
        mongo.connection().database().getCollection(Collections.SUBSCRIBERS).insertMany(docs);
        SettableClock clock = new SettableClock(Instant.parse("2026-12-03T23:00:00Z"));
        // Waiting moves the clock instead of the test's time: a check waiting for tomorrow's budget brings it closer.
        Sleeper sleeper = d -> {
            clock.advance(d);
            Thread.sleep(1);
        };
        var jobs = new MongoValidationJobStore(mongo.connection());
        var ledger = new ChunkLedger(new LocalChunkBoard(), MongoChunkStore.forValidation(mongo.connection()), clock, sleeper);
        var subscribers = new MongoSubscriberSource(mongo.connection());
        var budget = new MongoDailyBudget(mongo.connection());
        var validation = new AddressValidation(new SimulatedValidator(new SimulatedValidatorConfig(Duration.ZERO,
                Duration.ZERO, 0.1, 0, 0, 4_000, 3), sleeper), new MongoVerdictStore(mongo.connection()), budget,
                // Waits of 30 min: the clock crosses a day in a few dozen steps.
                new ValidationPolicy(Duration.ofDays(30), Duration.ofDays(180), Duration.ofHours(1), 4,
                        Duration.ofSeconds(5), Duration.ofMinutes(30), new BudgetLimits(CALLS_PER_DAY, Long.MAX_VALUE)),
                new ValidationFigures(), clock, sleeper, "test-node");
        ValidationJob job = new ValidationJobPlanner(jobs, ledger.store(), subscribers, clock)
                .order("v-budget", Audience.SUBSCRIBED, ValidationRequirement.CONFIRMED_OR_VALID, null, 50);
        var supervisor = new ValidationSupervisor(jobs, null, ledger, new ChunkSweeper(ledger.board(),
                () -> Set.of("test-node"), clock, Duration.ofSeconds(5)), () -> true, clock, Duration.ofSeconds(1));
        supervisor.superviseAll();
        assertThat(supervisor.backlog()).as("puts the chunks on the board; all left to do").isEqualTo(ADDRESSES);
        assertThat(supervisor.openJobs()).isEqualTo(1);

        try (var workers = new ValidationWorkers(new ValidationWork("test-node", ledger, jobs, subscribers, validation,
                new ValidationSlots(20, Integer.MAX_VALUE, () -> 1), clock, Duration.ofDays(30)))) {
            workers.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> ledger.board().chunksOf(job.id()).stream()
                    .allMatch(c -> c.state() == ChunkState.DONE));
        }

        supervisor.superviseAll();
        assertThat(jobs.finishedAt(job.id())).isPresent();
        assertThat(supervisor.backlog()).isZero();

        DailyBudget.Spent first = budget.spent(LocalDate.parse("2026-12-03"));
        assertThat(first.calls()).isEqualTo(CALLS_PER_DAY);
        assertThat(first.refused()).as("status said: budget spent, waiting").isTrue();
        assertThat(budget.spent(LocalDate.parse("2026-12-04")).calls()).isEqualTo(CALLS_PER_DAY);
        assertThat(budget.spent(LocalDate.parse("2026-12-05")).calls()).isEqualTo(ADDRESSES - 2 * CALLS_PER_DAY);
        assertThat(budget.spent(LocalDate.parse("2026-12-05")).refused()).isFalse();
        assertThat(mongo.connection().database().getCollection(Collections.ADDRESS_VERDICTS)
                .countDocuments(new Document("verdict", new Document("$exists", true)))).isEqualTo(ADDRESSES);
        ValidationTally total = ledger.store().load(job.id()).stream().map(c -> ValidationTally.of(c.counts()))
                .reduce(ValidationTally.ZERO, ValidationTally::plus);
        assertThat(total.verified() + total.invalid()).isEqualTo(ADDRESSES);
        assertThat(total.unchecked()).isZero();
    }
}
