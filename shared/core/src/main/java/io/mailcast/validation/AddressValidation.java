package io.mailcast.validation;

import io.mailcast.sender.AddressValidator;
import io.mailcast.subscriber.AddressNormalizer;
import io.mailcast.time.Sleeper;
import io.mailcast.time.StoreRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gets a verdict for one address, paying for at most one call per cache lifetime across the cluster: a fresh cached
 * verdict is used as it is; otherwise the address is claimed, the day's budget charged, and the validator called.
 * Errors are retried with back-off under the same claim and never cached. Thread-safe; meant for many virtual threads.
 */
public final class AddressValidation {

    /** Where a result came from. */
    public enum Source {
        /** A fresh verdict was cached: nothing paid. */
        CACHE,
        /** Paid for now. */
        CHECKED,
        /** Not an address at all: INVALID without a call. */
        SYNTAX,
        /** The validator kept failing: no verdict, nothing cached; a later run tries again. */
        GAVE_UP,
        /** The deadline passed first (a spent budget, a busy validator): no verdict. */
        PAST_DEADLINE
    }

    /** @param verdict {@code null} when the source is GAVE_UP or PAST_DEADLINE */
    public record Result(String address, Verdict verdict, Source source) {
    }

    private static final Logger log = LoggerFactory.getLogger(AddressValidation.class);
    /** How long a paid verdict is retried against a failing store (an overloaded one answered after minutes). */
    static final Duration RECORD_RETRY_FOR = Duration.ofMinutes(10);

    private final Validator validator;
    private final VerdictStore store;
    private final StoreRetry recordRetry;
    private final DailyBudget budget;
    private final ValidationPolicy policy;
    private final ValidationFigures figures;
    private final Clock clock;
    private final Sleeper sleeper;
    private final String holder;
    private final AtomicLong claims = new AtomicLong();
    private final AtomicReference<LocalDate> exhaustedDay = new AtomicReference<>();

    /** @param holder names this process in claims; unique per process, so a restarted one does not inherit leases */
    public AddressValidation(Validator validator, VerdictStore store, DailyBudget budget, ValidationPolicy policy,
                             ValidationFigures figures, Clock clock, Sleeper sleeper, String holder) {
        this.validator = validator;
        this.store = store;
        this.budget = budget;
        this.policy = policy;
        this.figures = figures;
        this.clock = clock;
        this.sleeper = sleeper;
        this.holder = holder;
        this.recordRetry = new StoreRetry(Duration.ofMillis(250), Duration.ofSeconds(5), RECORD_RETRY_FOR, clock, sleeper);
        policy.limits().requireAffords(validator.priceMicros());
    }

    /**
     * The verdict for {@code address} (normalised here), waiting as long as needed before {@code deadline}.
     *
     * @param deadline give up waiting (for a spent budget or another holder) after this; {@code null} for never
     */
    public Result validate(String address, Instant deadline) throws InterruptedException {
        String normalised = AddressNormalizer.normalize(address);
        if (AddressValidator.problem(normalised).isPresent()) {
            figures.syntaxInvalid.increment();
            return new Result(normalised, Verdict.INVALID, Source.SYNTAX);
        }
        // Each call claims as its own holder: two threads of one process must not share a lease either.
        String holder = this.holder + "/" + claims.incrementAndGet();
        int failures = 0;
        while (true) {
            Instant now = clock.instant();
            if (deadline != null && now.isAfter(deadline)) {
                return new Result(normalised, null, Source.PAST_DEADLINE);
            }
            switch (store.claim(normalised, holder, now, now.plus(policy.lease()))) {
                case VerdictStore.Claim.Cached c -> {
                    figures.cacheHits.increment();
                    return new Result(normalised, c.verdict().verdict(), Source.CACHE);
                }
                case VerdictStore.Claim.HeldElsewhere h -> {
                    sleeper.sleep(policy.poll());
                    continue;
                }
                case VerdictStore.Claim.Taken t -> {
                }
            }
            if (!budget.trySpend(today(now), validator.priceMicros(), policy.limits())) {
                store.release(normalised, holder, now);
                budgetSpent(now);
                sleeper.sleep(untilNextDayAtMost(now, policy.poll()));
                continue;
            }
            figures.paidCalls.increment();
            figures.moneyMicros.add(validator.priceMicros());
            try {
                Verdict verdict = validator.check(normalised);
                Instant at = clock.instant();
                if (!recordPaid(normalised, holder, new CachedVerdict(verdict, at, validator.name(),
                        at.plus(policy.lifetime(verdict))))) {
                    log.warn("verdict for an address dropped: its claim had passed to another holder (lease {} too short?)",
                            policy.lease());
                }
                figures.verdict(verdict);
                return new Result(normalised, verdict, Source.CHECKED);
            } catch (ValidatorException e) {
                figures.errors.increment();
                failures++;
                if (failures >= policy.maxAttempts()) {
                    store.release(normalised, holder, clock.instant());
                    figures.gaveUp.increment();
                    log.debug("validator failed {} times for an address, left unchecked: {}", failures, e.getMessage());
                    return new Result(normalised, null, Source.GAVE_UP);
                }
                // Keeps the claim while waiting: the next attempt renews it.
                sleeper.sleep(policy.retryBackoff().multipliedBy(1L << (failures - 1)));
            } catch (InterruptedException | RuntimeException e) {
                // Stopped, or a broken adapter: the next one may claim at once instead of after the lease.
                store.release(normalised, holder, clock.instant());
                throw e;
            }
        }
    }

    /** Stores a verdict that was paid for, retrying while the store fails: dropped, it would be paid for again. */
    private boolean recordPaid(String address, String holder, CachedVerdict verdict) throws InterruptedException {
        return recordRetry.write(() -> store.record(address, holder, verdict), (e, trying, pause) ->
                log.debug("verdict not stored yet ({}); retrying in {} ms", e.toString(), pause.toMillis()));
    }

    private void budgetSpent(Instant now) {
        figures.budgetWaits.increment();
        LocalDate day = today(now);
        if (!day.equals(exhaustedDay.getAndSet(day))) {
            log.info("validation budget for {} spent ({}); waiting for the next UTC day", day, policy.limits());
        }
    }

    static LocalDate today(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    private static Duration untilNextDayAtMost(Instant now, Duration most) {
        Instant midnight = today(now).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Duration left = Duration.between(now, midnight);
        return left.compareTo(most) < 0 ? left.plusMillis(1) : most;
    }
}
