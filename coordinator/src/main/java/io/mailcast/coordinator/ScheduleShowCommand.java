package io.mailcast.coordinator;

import io.mailcast.cli.Cli;
import io.mailcast.schedule.Firing;
import io.mailcast.schedule.Schedule;
import io.mailcast.schedule.Slots;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoFiringStore;
import io.mailcast.store.MongoScheduleStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code coordinator schedule show}: the schedule, its next slots, and its last firings with their campaigns. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Shows a schedule, its next slots and its last firings: campaign, state, how late, or why skipped.")
final class ScheduleShowCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "ID", description = "Schedule id")
    String id;

    @Option(names = "--firings", defaultValue = "10", description = "How many of the last firings (default: ${DEFAULT-VALUE})")
    int firings;

    @Override
    public Integer call() {
        if (firings < 0) {
            throw new IllegalArgumentException("--firings must be 0 or more, got " + firings);
        }
        try (MongoConnection mongo = connection.mongo()) {
            Schedule s = new MongoScheduleStore(mongo).find(id)
                    .orElseThrow(() -> new Cli.NotFoundException("no schedule '" + id + "'"));
            System.out.println("schedule " + s.id() + " (" + (s.paused() ? "paused" : "active") + "): "
                    + ScheduleCommand.when(s.trigger()) + ", catch-up " + s.catchUp().name().toLowerCase(Locale.ROOT));
            System.out.println("audience " + s.audience() + (s.window() == null ? "" : ", window " + s.window().field()
                    + " " + s.window().offsetDays() + " days before (" + s.window().kind().name().toLowerCase(Locale.ROOT) + ")"));
            if (s.validation() != null) {
                var v = s.validation();
                System.out.println("validation: confirmed " + String.join(",", v.confirmedFields()) + " or checked-valid; "
                        + (v.waitAfterSlot() == null ? "others UNVERIFIED" : "others waited for " + v.waitAfterSlot())
                        + (v.daysAhead() == 0 ? "" : "; each slot's audience checked " + v.daysAhead()
                        + " days ahead (job v-" + s.id() + "-<slot>)"));
            }
            System.out.println("next slots:");
            Slots.of(s.trigger()).upcoming(Clock.systemUTC().instant(), 5).forEach(slot -> System.out.println("  " + slot));
            System.out.println("last firings:");
            var campaigns = new MongoCampaignStore(mongo);
            for (Firing f : new MongoFiringStore(mongo).latest(id, firings)) {
                System.out.println("  " + f.slot() + "  " + (f.fired() ? fired(f, campaigns) : "skipped: " + f.skipped()));
            }
        }
        return Cli.OK;
    }

    private static String fired(Firing f, MongoCampaignStore campaigns) {
        String late = "late " + f.lateBy().toMillis() / 1000.0 + " s";
        return campaigns.find(f.campaignId())
                .map(c -> c.id() + " " + c.state() + " eligible=" + c.eligible() + " " + late)
                .orElse(f.campaignId() + " (campaign not found) " + late);
    }
}
