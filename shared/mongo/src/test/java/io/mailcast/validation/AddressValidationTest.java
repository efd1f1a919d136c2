package io.mailcast.validation;

import io.mailcast.store.MongoDailyBudget;
import io.mailcast.store.MongoVerdictStore;
import io.mailcast.testing.MongoFixture;
import io.mailcast.testing.SettableClock;
import io.mailcast.time.Sleeper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Paid validation over the real MongoDB stores: one call per address, the daily budget, leases, errors. */
class AddressValidationTest {

    @RegisterExtension
    static final MongoFixture mongo = new MongoFixture();

    private static final SimulatedValidatorConfig FAST = SimulatedValidatorConfig.DEFAULTS
            .withLatency(Duration.ofMillis(1), Duration.ofMillis(20)).withRates(0.2, 0.1, 0);
    private static final ValidationPolicy QUICK = ValidationPolicy.DEFAULTS
            .withRetries(3, Duration.ofMillis(5)).withLease(Duration.ofSeconds(30));

    private final MongoVerdictStore store = new MongoVerdictStore(mongo.connection());
    private final MongoDailyBudget budget = new MongoDailyBudget(mongo.connection());

    @BeforeEach
    void fresh() {
        mongo.dropAll();
    }

    private static ValidationPolicy polling(ValidationPolicy p, Duration poll) {
        return new ValidationPolicy(p.validLifetime(), p.invalidLifetime(), p.lease(), p.maxAttempts(),
                p.retryBackoff(), poll, p.limits());
    }

    /**
     * The store fails (an overloaded MongoDB timing out) right after a paid call: the verdict is kept and written once
     * the store answers, so the address is never paid for twice. Dropped, it was checked again later (34 extra paid
     * calls in a 2M-user benchmark whose store timed out).
     */
    @Test
    void aVerdictPaidForIsStoredOnceTheStoreRecoversNotPaidForAgain() throws Exception {
        CountingValidator counting = new CountingValidator(new SimulatedValidator(FAST, Sleeper.SYSTEM));
        AtomicInteger failuresLeft = new AtomicInteger(3);
        VerdictStore flaky = new VerdictStore() {
            @Override
            public Claim claim(String address, String holder, Instant now, Instant leaseUntil) {
                return store.claim(address, holder, now, leaseUntil);
            }

            @Override
            public boolean record(String address, String holder, CachedVerdict verdict) {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("Timed out waiting for a connection");
                }
                return store.record(address, holder, verdict);
            }

            @Override
            public void release(String address, String holder, Instant now) {
                store.release(address, holder, now);
            }

            @Override
            public Map<String, CachedVerdict> fresh(Set<String> addresses, Instant now) {
                return store.fresh(addresses, now);
            }
        };
        var node = new AddressValidation(counting, flaky, budget, QUICK, new ValidationFigures(), Clock.systemUTC(),
                d -> { }, "node-a");
        var first = node.validate("ann@example.com", null);
        assertThat(first.source()).isEqualTo(AddressValidation.Source.CHECKED);
        var again = node.validate("ann@example.com", null);
        assertThat(again.source()).isEqualTo(AddressValidation.Source.CACHE);
        assertThat(again.verdict()).isEqualTo(first.verdict());
        assertThat(counting.total()).as("paid calls").isEqualTo(1);
    }

    /**
     * Two "nodes" (two holders), 400 virtual threads, each validating a random overlapping slice of 100 addresses at
     * once: every address is paid for exactly once, never twice concurrently, and everyone sees the same verdict.
     */
    @Test
    void exactlyOnePaidCallPerAddressUnderConcurrency() throws Exception {
        CountingValidator counting = new CountingValidator(new SimulatedValidator(FAST, Sleeper.SYSTEM));
        ValidationPolicy policy = polling(QUICK, Duration.ofMillis(5));
        ValidationFigures figures = new ValidationFigures();
        List<AddressValidation> nodes = List.of(
                new AddressValidation(counting, store, budget, policy, figures, Clock.systemUTC(), Sleeper.SYSTEM, "node-a"),
                new AddressValidation(counting, store, budget, policy, figures, Clock.systemUTC(), Sleeper.SYSTEM, "node-b"));
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            addresses.add("person" + i + "@example.com");
        }
        Map<String, Set<Verdict>> seen = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 400; t++) {
            AddressValidation node = nodes.get(t % 2);
            int from = ThreadLocalRandom.current().nextInt(80);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    // Mixed case in the domain: the same mailbox as the lower-case form, so the same claim.
                    for (String a : addresses.subList(from, from + 20)) {
                        var r = node.validate(a.replace("example.com", "Example.COM"), null);
                        seen.computeIfAbsent(r.address(), k -> ConcurrentHashMap.newKeySet()).add(r.verdict());
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).hasValue(0);
        assertThat(counting.concurrentForOneAddress).hasValue(0);
        assertThat(counting.calls.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
        assertThat(counting.total()).isEqualTo(seen.size());
        assertThat(seen.values()).allSatisfy(v -> assertThat(v).hasSize(1));
        assertThat(figures.paidCalls.sum()).isEqualTo(seen.size());
        assertThat(figures.cacheHits.sum()).isEqualTo(400L * 20 - seen.size());
        assertThat(budget.spent(AddressValidation.today(Instant.now())).calls()).isEqualTo(seen.size());
    }

    /** Calls stop when the day's calls are spent and resume, by themselves, when the UTC day turns. */
    @Test
    void aSpentBudgetWaitsForTheNextDay() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-12-01T23:00:00Z"));
        Sleeper advancing = d -> clock.advance(d);
        CountingValidator counting = new CountingValidator(new SimulatedValidator(
                FAST.withLatency(Duration.ZERO, Duration.ZERO), advancing));
        ValidationPolicy policy = polling(QUICK, Duration.ofMinutes(10)).withLimits(new BudgetLimits(3, 1_000_000));
        ValidationFigures figures = new ValidationFigures();
        var validation = new AddressValidation(counting, store, budget, policy, figures, clock, advancing, "node-a");

        for (int i = 0; i < 3; i++) {
            assertThat(validation.validate("a" + i + "@example.com", null).source()).isEqualTo(AddressValidation.Source.CHECKED);
        }
        var deadlineToday = validation.validate("late@example.com", Instant.parse("2026-12-01T23:30:00Z"));
        assertThat(deadlineToday.source()).isEqualTo(AddressValidation.Source.PAST_DEADLINE);
        assertThat(counting.total()).isEqualTo(3);

        var nextDay = validation.validate("late@example.com", null);
        assertThat(nextDay.source()).isEqualTo(AddressValidation.Source.CHECKED);
        assertThat(clock.instant()).isAfterOrEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
        assertThat(budget.spent(LocalDate.parse("2026-12-01")).calls()).isEqualTo(3);
        assertThat(budget.spent(LocalDate.parse("2026-12-02")).calls()).isEqualTo(1);
        assertThat(figures.budgetWaits.sum()).isPositive();
    }

    /** The money limit stops calls as the call limit does; an unaffordable price is refused at start. */
    @Test
    void theMoneyLimitStopsCalls() {
        assertThat(budget.trySpend(LocalDate.parse("2026-12-01"), 400, new BudgetLimits(100, 1_000))).isTrue();
        assertThat(budget.trySpend(LocalDate.parse("2026-12-01"), 400, new BudgetLimits(100, 1_000))).isTrue();
        assertThat(budget.spent(LocalDate.parse("2026-12-01"))).isEqualTo(new DailyBudget.Spent(2, 800, false));
        assertThat(budget.trySpend(LocalDate.parse("2026-12-01"), 400, new BudgetLimits(100, 1_000))).isFalse();
        assertThat(budget.spent(LocalDate.parse("2026-12-01"))).as("refused: status says it waits")
                .isEqualTo(new DailyBudget.Spent(2, 800, true));
    }

    /** A holder that crashed mid-check keeps the address until its lease runs out; then another holder takes over. */
    @Test
    void aCrashedHoldersLeaseExpires() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
        Instant now = clock.instant();
        assertThat(store.claim("x@example.com", "crashed", now, now.plusSeconds(60)))
                .isInstanceOf(VerdictStore.Claim.Taken.class);
        assertThat(store.claim("x@example.com", "other", now.plusSeconds(30), now.plusSeconds(90)))
                .isInstanceOf(VerdictStore.Claim.HeldElsewhere.class);

        Sleeper advancing = d -> clock.advance(d);
        CountingValidator counting = new CountingValidator(new SimulatedValidator(
                FAST.withLatency(Duration.ZERO, Duration.ZERO), advancing));
        var validation = new AddressValidation(counting, store, budget, polling(QUICK, Duration.ofSeconds(10)),
                new ValidationFigures(), clock, advancing, "node-b");
        var result = validation.validate("x@example.com", null);

        assertThat(result.source()).isEqualTo(AddressValidation.Source.CHECKED);
        assertThat(clock.instant()).isAfterOrEqualTo(now.plusSeconds(60));
        assertThat(counting.total()).isEqualTo(1);
        // The crashed holder, back, cannot overwrite the verdict made under the newer claim.
        assertThat(store.record("x@example.com", "crashed", new CachedVerdict(Verdict.INVALID, now, "late", now.plusSeconds(999))))
                .isFalse();
        assertThat(store.fresh(Set.of("x@example.com"), clock.instant()).get("x@example.com").verdict())
                .isEqualTo(result.verdict());
    }

    /** Errors are retried with back-off under one claim, and a run of them leaves nothing cached. */
    @Test
    void errorsAreRetriedAndNeverCached() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
        Sleeper advancing = d -> clock.advance(d);
        AtomicInteger calls = new AtomicInteger();
        Validator failingTwice = new Validator() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public long priceMicros() {
                return 10;
            }

            @Override
            public Verdict check(String address) throws ValidatorException {
                if (address.startsWith("never") || calls.incrementAndGet() <= 2) {
                    throw new ValidatorException("503");
                }
                return Verdict.VALID;
            }
        };
        ValidationFigures figures = new ValidationFigures();
        var validation = new AddressValidation(failingTwice, store, budget, QUICK, figures, clock, advancing, "node-a");

        Instant before = clock.instant();
        assertThat(validation.validate("flaky@example.com", null).verdict()).isEqualTo(Verdict.VALID);
        assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofMillis(5 + 10));

        var gaveUp = validation.validate("never@example.com", null);
        assertThat(gaveUp.source()).isEqualTo(AddressValidation.Source.GAVE_UP);
        assertThat(store.fresh(Set.of("never@example.com", "flaky@example.com"), clock.instant()))
                .containsOnlyKeys("flaky@example.com");
        assertThat(store.claim("never@example.com", "someone", clock.instant(), clock.instant().plusSeconds(60)))
                .as("released, not held until its lease ends").isInstanceOf(VerdictStore.Claim.Taken.class);
        assertThat(figures.errors.sum()).isEqualTo(2 + 3);
        assertThat(figures.paidCalls.sum()).isEqualTo(3 + 3);
    }

    /** Invalid verdicts live longer than valid ones; an expired verdict is checked (and paid for) again. */
    @Test
    void verdictsExpireByKind() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
        Sleeper advancing = d -> clock.advance(d);
        Map<String, Verdict> answers = Map.of("good@example.com", Verdict.VALID, "bad@example.com", Verdict.INVALID);
        AtomicInteger calls = new AtomicInteger();
        Validator fixed = new Validator() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public long priceMicros() {
                return 1;
            }

            @Override
            public Verdict check(String address) {
                calls.incrementAndGet();
                return answers.get(address);
            }
        };
        var policy = new ValidationPolicy(Duration.ofDays(1), Duration.ofDays(10), Duration.ofMinutes(1), 1,
                Duration.ofSeconds(1), Duration.ofSeconds(1), BudgetLimits.UNLIMITED);
        var validation = new AddressValidation(fixed, store, budget, policy, new ValidationFigures(), clock, advancing, "n");
        validation.validate("good@example.com", null);
        validation.validate("bad@example.com", null);
        clock.advance(Duration.ofDays(2));

        assertThat(store.fresh(Set.of("good@example.com", "bad@example.com"), clock.instant())).containsOnlyKeys("bad@example.com");
        assertThat(validation.validate("bad@example.com", null).source()).isEqualTo(AddressValidation.Source.CACHE);
        assertThat(validation.validate("good@example.com", null).source()).isEqualTo(AddressValidation.Source.CHECKED);
        assertThat(calls).hasValue(3);
    }
}
