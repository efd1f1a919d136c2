package io.mailcast.coordinator;

import io.mailcast.chunk.ChunkCounts;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.cli.Cli;
import io.mailcast.schedule.Firing;
import io.mailcast.schedule.Schedule;
import io.mailcast.schedule.ScheduleFirer;
import io.mailcast.schedule.Slots;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoFiringStore;
import io.mailcast.store.MongoScheduleStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code coordinator schedule show}: the schedule, its next slots, its last firings with their campaigns' figures, and
 * the slots that went out late or not at all, with why.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Shows a schedule, its next slots, its last firings (campaign, state, sent/failed/suppressed/"
                + "invalid/uncertain) and the slots fired late or skipped, with why.")
final class ScheduleShowCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "ID", description = "Schedule id")
    String id;

    @Option(names = "--firings", defaultValue = "10", description = "How many of the last firings (default: ${DEFAULT-VALUE})")
    int firings;

    @Option(names = "--late-or-skipped", defaultValue = "10",
            description = "How many of the last slots fired more than 5 minutes late or skipped (default: ${DEFAULT-VALUE})")
    int lateOrSkipped;

    @Override
    public Integer call() {
        if (firings < 0) {
            throw new IllegalArgumentException("--firings must be 0 or more, got " + firings);
        }
        if (lateOrSkipped < 0) {
            throw new IllegalArgumentException("--late-or-skipped must be 0 or more, got " + lateOrSkipped);
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
            var firingStore = new MongoFiringStore(mongo);
            var campaigns = new MongoCampaignStore(mongo);
            var chunks = new MongoChunkStore(mongo);
            System.out.println("last firings:");
            for (Firing f : firingStore.latest(id, firings)) {
                System.out.println("  " + f.slot() + "  " + (f.fired() ? fired(f, campaigns, chunks) : "skipped: " + f.skipped()));
            }
            System.out.println("late (over " + ScheduleFirer.GRACE.toMinutes() + " min) or skipped:");
            var missed = firingStore.lateOrSkipped(id, ScheduleFirer.GRACE, lateOrSkipped);
            if (missed.isEmpty()) {
                System.out.println("  none");
            }
            for (Firing f : missed) {
                System.out.println("  " + f.slot() + "  " + (f.fired()
                        ? "late by " + duration(f.lateBy()) + ", campaign " + f.campaignId() : "skipped: " + f.skipped()));
            }
        }
        return Cli.OK;
    }

    private static String fired(Firing f, MongoCampaignStore campaigns, MongoChunkStore chunks) {
        String late = "late " + f.lateBy().toMillis() / 1000.0 + " s";
        return campaigns.find(f.campaignId()).map(c -> {
            ChunkCounts n = chunks.load(c.id()).stream().map(ChunkRecord::counts).reduce(ChunkCounts.ZERO, ChunkCounts::plus);
            return c.id() + " " + c.state() + " eligible=" + c.eligible() + " sent=" + n.sent() + " failed=" + n.failed()
                    + " suppressed=" + n.suppressed() + " invalid=" + n.invalid() + " skipped=" + n.skipped()
                    + " uncertain=" + n.uncertain() + " " + late;
        }).orElse(f.campaignId() + " (campaign not found) " + late);
    }

    /** 3 h 2 min, 4 min 10 s, 12 s: how late, readable at a glance. */
    static String duration(Duration d) {
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : d.toSeconds() + " s";
    }
}
