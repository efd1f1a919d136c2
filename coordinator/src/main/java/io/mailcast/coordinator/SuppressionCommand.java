package io.mailcast.coordinator;

import io.mailcast.cli.Cli;
import io.mailcast.sender.AddressValidator;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.subscriber.AddressNormalizer;
import io.mailcast.suppression.Suppression;
import io.mailcast.suppression.SuppressionReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code coordinator suppression}: the addresses no campaign mails any more. Nodes check the list when they load a
 * chunk, so a change applies to every chunk loaded after it, in running campaigns too.
 */
@Command(name = "suppression", mixinStandardHelpOptions = true,
        description = "Adds, removes, lists, imports and exports the addresses no campaign sends to.",
        subcommands = {SuppressionCommand.Add.class, SuppressionCommand.Remove.class, SuppressionCommand.ListEntries.class,
                SuppressionImportCommand.class, SuppressionExportCommand.class})
public final class SuppressionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Puts addresses on the list; an address already on it keeps its first entry.")
    static final class Add implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Parameters(paramLabel = "ADDRESS", arity = "1..*", description = "Addresses to suppress")
        List<String> addresses;

        @Option(names = "--reason", defaultValue = "manual", converter = ReasonConverter.class,
                description = "unsubscribed, hard-bounce, soft-bounce, complaint or manual (default: ${DEFAULT-VALUE})")
        SuppressionReason reason;

        @Option(names = "--note", description = "Why, for whoever reads the list later (stored as the evidence)")
        String note;

        @Override
        public Integer call() {
            Set<String> normalised = validAddresses(addresses);
            var now = Clock.systemUTC().instant();
            List<Suppression> entries = normalised.stream().map(a -> new Suppression(a, reason, null, now, note)).toList();
            try (MongoConnection mongo = connection.mongo()) {
                int added = new MongoSuppressionList(mongo).addAll(entries);
                int present = entries.size() - added;
                System.out.println("added " + added + " to the suppression list" + (present == 0 ? ""
                        : ", " + present + " already on it (kept as they were)"));
                return Cli.OK;
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Takes addresses off the list, so campaigns mail them again. Exit code 5 when none was on it.")
    static final class Remove implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Parameters(paramLabel = "ADDRESS", arity = "1..*", description = "Addresses to take off the list")
        List<String> addresses;

        @Override
        public Integer call() {
            List<String> absent = new ArrayList<>();
            int removed = 0;
            try (MongoConnection mongo = connection.mongo()) {
                var list = new MongoSuppressionList(mongo);
                for (String address : new LinkedHashSet<>(addresses.stream().map(AddressNormalizer::normalize).toList())) {
                    if (list.remove(address)) {
                        removed++;
                    } else {
                        absent.add(address);
                    }
                }
            }
            if (removed == 0) {
                throw new Cli.NotFoundException("not on the suppression list: " + String.join(", ", absent));
            }
            System.out.println("removed " + removed + " from the suppression list"
                    + (absent.isEmpty() ? "" : "; not on it: " + String.join(", ", absent)));
            return Cli.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Shows entries in address order; export prints all of them as CSV.")
    static final class ListEntries implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Option(names = "--reason", converter = ReasonConverter.class,
                description = "Only entries with this reason: unsubscribed, hard-bounce, soft-bounce, complaint or manual")
        SuppressionReason reason;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many entries (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
            }
            List<Suppression> entries;
            try (MongoConnection mongo = connection.mongo()) {
                // One more than shown tells whether there are more.
                entries = new MongoSuppressionList(mongo).list(reason, limit + 1);
            }
            if (entries.isEmpty()) {
                System.out.println(reason == null ? "the suppression list is empty"
                        : "no entries with reason " + ReasonConverter.name(reason));
                return Cli.OK;
            }
            System.out.printf("%-40s %-13s %-24s %-20s %s%n", "ADDRESS", "REASON", "AT", "CAMPAIGN", "EVIDENCE");
            for (Suppression s : entries.subList(0, Math.min(limit, entries.size()))) {
                System.out.printf("%-40s %-13s %-24s %-20s %s%n", s.address(), ReasonConverter.name(s.reason()), s.at(),
                        s.sourceCampaign() == null ? "-" : s.sourceCampaign(), s.evidence() == null ? "" : s.evidence());
            }
            if (entries.size() > limit) {
                System.out.println("(first " + limit + " shown; raise --limit, or export for all)");
            }
            return Cli.OK;
        }
    }

    /**
     * The given addresses normalised, without repeats; any invalid one is a usage error naming it, so nothing is added
     * when the command line has a typo.
     */
    static Set<String> validAddresses(List<String> addresses) {
        Set<String> normalised = new LinkedHashSet<>();
        for (String raw : addresses) {
            String address = AddressNormalizer.normalize(raw);
            var problem = AddressValidator.problem(address);
            if (problem.isPresent()) {
                throw new IllegalArgumentException("'" + address + "' is not a valid address (" + problem.get()
                        + "); nothing was added");
            }
            normalised.add(address);
        }
        return normalised;
    }

    /** Reasons as users type them: {@code hard-bounce}, {@code HARD_BOUNCE} and {@code hard_bounce} alike. */
    static final class ReasonConverter implements ITypeConverter<SuppressionReason> {

        @Override
        public SuppressionReason convert(String value) {
            try {
                return SuppressionReason.valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("unknown reason '" + value
                        + "'; use unsubscribed, hard-bounce, soft-bounce, complaint or manual");
            }
        }

        static String name(SuppressionReason reason) {
            return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
