package io.mailcast.coordinator;

import io.mailcast.cli.Cli;
import io.mailcast.cli.ValidatorOptions;
import io.mailcast.sender.AddressValidator;
import io.mailcast.store.AudienceFilter;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoDailyBudget;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.store.MongoValidationJobStore;
import io.mailcast.store.MongoVerdictStore;
import io.mailcast.subscriber.AddressNormalizer;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.IdRange;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import io.mailcast.time.Sleeper;
import io.mailcast.validation.AddressValidation;
import io.mailcast.validation.DailyBudget;
import io.mailcast.validation.Money;
import io.mailcast.validation.ValidationBatch;
import io.mailcast.validation.ValidationFigures;
import io.mailcast.validation.ValidationPolicy;
import io.mailcast.validation.ValidationRequirement;
import io.mailcast.validation.Validator;
import io.mailcast.validation.Verdict;
import io.mailcast.validation.job.ValidationJob;
import io.mailcast.validation.job.ValidationJobPlanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code coordinator validate}: checks an audience's unconfirmed addresses ahead of sending, each at most once per
 * cache lifetime across the cluster, within the daily budget, and prints what it did and spent. Exit code 1 when some
 * addresses are left unchecked (validator errors, the deadline); running it again picks them up.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Validates the audience's unconfirmed addresses not yet cached, with a paid validator.")
public final class ValidateCommand implements Callable<Integer> {

    private static final int PAGE = 1_000;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    ValidatorOptions validatorOptions;

    @Option(names = "--audience", required = true, description = "MongoDB filter selecting the subscribers, one JSON object")
    String audience;

    @Option(names = "--confirmed-fields", defaultValue = "confirmed",
            description = "Comma-separated subscriber attributes marking a confirmed address (default: ${DEFAULT-VALUE})")
    String confirmedFields;

    @Option(names = "--deadline",
            description = "Stop waiting (for the budget) at this instant (2026-12-07T00:00:00Z) or after this long (PT6H)")
    String deadline;

    @Option(names = "--concurrency", defaultValue = "100", description = "Checks in flight at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--cluster", description = "Order a validation job that the nodes run (nodes started with "
            + "--validator) instead of checking here; prints the job id and returns at once. The nodes' validator, "
            + "budget and concurrency apply: those options given here are not used")
    boolean cluster;

    @Option(names = "--job-id", description = "With --cluster: the job's id (default: v-<UTC time>); ordering an "
            + "existing id again does nothing")
    String jobId;

    @Option(names = "--chunk-size", defaultValue = "1000",
            description = "With --cluster: subscribers per validation chunk (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Override
    public Integer call() throws InterruptedException {
        Clock clock = Clock.systemUTC();
        // Everything typed is checked before MongoDB is touched or a call is paid.
        AudienceFilter.parse("--audience", audience);
        if (concurrency < 1 || concurrency > 10_000) {
            throw new IllegalArgumentException("--concurrency must be between 1 and 10000, got " + concurrency);
        }
        var rule = new ValidationRequirement(Arrays.stream(confirmedFields.split(",")).map(String::strip).toList());
        Instant until = deadline(clock.instant());
        if (cluster) {
            return orderJob(clock, rule, until);
        }
        Validator validator = validatorOptions.validator(Sleeper.SYSTEM);
        ValidationPolicy policy = validatorOptions.policy(validatorOptions.longestCall());
        policy.limits().requireAffords(validator.priceMicros());
        try (MongoConnection mongo = connection.mongo().ensureIndexes()) {
            Unconfirmed todo = unconfirmed(new MongoSubscriberSource(mongo), new Audience(audience), rule);
            var store = new MongoVerdictStore(mongo);
            DailyBudget budget = new MongoDailyBudget(mongo);
            var figures = new ValidationFigures();
            var validation = new AddressValidation(validator, store, budget, policy, figures, clock, Sleeper.SYSTEM,
                    "validate-" + UUID.randomUUID());
            System.out.printf("%,d subscribers, %,d confirmed, %,d distinct unconfirmed addresses to check with %s "
                    + "(%d in flight)%n", todo.audience(), todo.confirmed(), todo.addresses().size(), validator.name(), concurrency);
            ValidationBatch.Summary s = ValidationBatch.run(validation, todo.addresses(), concurrency, until);
            print(s, figures, budget.spent(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)), policy);
            return s.unchecked() == 0 ? Cli.OK : Cli.FAILED;
        }
    }

    private int orderJob(Clock clock, ValidationRequirement rule, Instant until) {
        if (chunkSize < 1 || chunkSize > 100_000) {
            throw new IllegalArgumentException("--chunk-size must be between 1 and 100000, got " + chunkSize);
        }
        String id = jobId != null ? jobId : "v-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC).format(clock.instant());
        try (MongoConnection mongo = connection.mongo().ensureIndexes()) {
            ValidationJob job = new ValidationJobPlanner(new MongoValidationJobStore(mongo),
                    MongoChunkStore.forValidation(mongo), new MongoSubscriberSource(mongo), clock)
                    .order(id, new Audience(audience), rule, until, chunkSize);
            System.out.printf("validation job %s: %,d chunks, deadline %s; nodes started with --validator run it%n",
                    job.id(), job.chunks(), job.deadline() == null ? "none" : job.deadline());
            return Cli.OK;
        }
    }

    /** The audience's size, how many of it are confirmed, and the distinct normalised addresses needing a check. */
    private record Unconfirmed(long audience, long confirmed, List<String> addresses) {
    }

    private static Unconfirmed unconfirmed(MongoSubscriberSource source, Audience audience, ValidationRequirement rule) {
        long confirmed = 0;
        List<SubscriberId> ids = new ArrayList<>();
        source.eligibleIds(audience, ids::add);
        Set<String> distinct = new LinkedHashSet<>();
        for (int from = 0; from < ids.size(); from += PAGE) {
            List<SubscriberId> page = ids.subList(from, Math.min(ids.size(), from + PAGE));
            for (Subscriber s : source.eligibleInRange(audience, IdRange.closed(page.getFirst(), page.getLast()), page.size())) {
                if (rule.confirmed(s)) {
                    confirmed++;
                } else if (AddressValidator.problem(s.email()).isEmpty()) {
                    distinct.add(AddressNormalizer.normalize(s.email()));
                }
            }
        }
        return new Unconfirmed(ids.size(), confirmed, List.copyOf(distinct));
    }

    private Instant deadline(Instant now) {
        return deadline == null ? null : InstantOrDuration.parse("--deadline", deadline, now);
    }

    private static void print(ValidationBatch.Summary s, ValidationFigures f, DailyBudget.Spent today, ValidationPolicy p) {
        System.out.printf("checks made: %,d (errors %,d), cache hits: %,d, money spent: %s%n", f.paidCalls.sum(),
                f.errors.sum(), f.cacheHits.sum(), Money.format(f.moneyMicros.sum()));
        System.out.printf("verdicts: valid %,d, invalid %,d, unknown %,d%n", s.verdicts().get(Verdict.VALID),
                s.verdicts().get(Verdict.INVALID), s.verdicts().get(Verdict.UNKNOWN));
        String callsLeft = p.limits().callsPerDay() == Long.MAX_VALUE ? "no limit"
                : String.format("%,d", Math.max(0, p.limits().callsPerDay() - today.calls()));
        String moneyLeft = p.limits().microsPerDay() == Long.MAX_VALUE ? "no limit"
                : Money.format(Math.max(0, p.limits().microsPerDay() - today.micros()));
        System.out.printf("budget today: %,d calls, %s spent; left: %s calls, %s%n", today.calls(),
                Money.format(today.micros()), callsLeft, moneyLeft);
        if (s.unchecked() > 0) {
            System.out.printf("unchecked: %,d (validator kept failing %,d, past the deadline %,d, errors %,d%s); "
                    + "run again to check them%n", s.unchecked(), s.count(AddressValidation.Source.GAVE_UP),
                    s.count(AddressValidation.Source.PAST_DEADLINE), s.failed(),
                    s.failure() == null ? "" : ": " + s.failure());
        }
    }
}
