package io.mailcast.coordinator;

import io.mailcast.cli.Cli;
import io.mailcast.schedule.Schedule;
import io.mailcast.schedule.Slots;
import io.mailcast.schedule.Trigger;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoScheduleStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * {@code coordinator schedule}: campaigns the cluster submits by itself, once per slot. Only MongoDB is touched: the
 * nodes' supervisor reads the schedules every pass.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Adds, lists, shows, pauses, resumes and removes scheduled and reminder campaigns.",
        subcommands = {ScheduleAddCommand.class, ScheduleShowCommand.class})
public final class ScheduleCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Shows every schedule with its next slot.")
    int list(@Mixin ConnectionOptions connection) {
        List<Schedule> all;
        try (MongoConnection mongo = connection.mongo()) {
            all = new MongoScheduleStore(mongo).all();
        }
        if (all.isEmpty()) {
            System.out.println("no schedules; add one with 'coordinator schedule add'");
            return Cli.OK;
        }
        var now = Clock.systemUTC().instant();
        System.out.printf("%-24s %-8s %-32s %-8s %s%n", "ID", "STATE", "WHEN", "CATCH-UP", "NEXT SLOT");
        for (Schedule s : all) {
            System.out.printf("%-24s %-8s %-32s %-8s %s%n", s.id(), s.paused() ? "paused" : "active", when(s.trigger()),
                    s.catchUp().name().toLowerCase(Locale.ROOT),
                    Slots.of(s.trigger()).next(now).map(Object::toString).orElse("-"));
        }
        return Cli.OK;
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Stops firing; slots that come due meanwhile follow the catch-up policy on resume, and "
                    + "'schedule show' names the pause as the reason for those it skips.")
    int pause(@Mixin ConnectionOptions connection, @Parameters(paramLabel = "ID", description = "Schedule id") String id) {
        return setPaused(connection, id, true);
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Fires the schedule again.")
    int resume(@Mixin ConnectionOptions connection, @Parameters(paramLabel = "ID", description = "Schedule id") String id) {
        return setPaused(connection, id, false);
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Deletes the schedule; its firings, campaigns and reminder claims stay.")
    int remove(@Mixin ConnectionOptions connection, @Parameters(paramLabel = "ID", description = "Schedule id") String id) {
        try (MongoConnection mongo = connection.mongo()) {
            if (!new MongoScheduleStore(mongo).remove(id)) {
                throw new Cli.NotFoundException("no schedule '" + id + "'");
            }
        }
        System.out.println("removed schedule " + id);
        return Cli.OK;
    }

    private static int setPaused(ConnectionOptions connection, String id, boolean paused) {
        try (MongoConnection mongo = connection.mongo()) {
            if (!new MongoScheduleStore(mongo).setPaused(id, paused, Clock.systemUTC().instant())) {
                throw new Cli.NotFoundException("no schedule '" + id + "'");
            }
        }
        System.out.println((paused ? "paused" : "resumed") + " schedule " + id);
        return Cli.OK;
    }

    static String when(Trigger trigger) {
        return switch (trigger) {
            case Trigger.Once once -> "at " + once.at();
            case Trigger.Cron cron -> "cron '" + cron.expression() + "' " + cron.zone().getId();
        };
    }
}
