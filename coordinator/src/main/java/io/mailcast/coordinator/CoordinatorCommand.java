package io.mailcast.coordinator;

import io.mailcast.campaign.CampaignState;
import io.mailcast.cli.CompletionCommand;
import io.mailcast.cli.VersionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bin/coordinator}: submit and steer campaigns and report on them. The demo, bench and chaos are in the lab. */
@Command(name = "coordinator", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, versionProvider = VersionInfo.class,
        description = "Mailcast coordinator: submits campaigns to the cluster and reports on them.",
        subcommands = {
                SubmitCommand.class, StatusCommand.class, ListCommand.class,
                RetryFailedCommand.class, RelayCommand.class, SuppressionCommand.class, ApiKeyCommand.class, TemplateCommand.class, ValidateCommand.class, ScheduleCommand.class,
                CompletionCommand.class, HelpCommand.class},
        footer = "%nExit codes: 0 ok, 1 failure, 2 bad input, 3 MongoDB unreachable, 4 cluster unreachable, 5 unknown campaign or key.")
public final class CoordinatorCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stops new sends within seconds; in-flight "
            + "sends finish and chunks are handed back. resume continues exactly where it stopped.")
    int pause(@Mixin ConnectionOptions connection, @Parameters(paramLabel = "ID", description = "Campaign id") String id) {
        return StateChange.apply(connection, id, CampaignState.PAUSED, "paused by operator", CampaignState.RUNNING);
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Continues a paused campaign where it stopped.")
    int resume(@Mixin ConnectionOptions connection, @Parameters(paramLabel = "ID", description = "Campaign id") String id) {
        return StateChange.apply(connection, id, CampaignState.RUNNING, null, CampaignState.PAUSED);
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Stops a campaign for good; the deliveries "
            + "collection records who was mailed, status shows how many were not.")
    int cancel(@Mixin ConnectionOptions connection, @Parameters(paramLabel = "ID", description = "Campaign id") String id) {
        return StateChange.apply(connection, id, CampaignState.CANCELLED, "cancelled by operator",
                CampaignState.RUNNING, CampaignState.PAUSED, CampaignState.PLANNING);
    }
}
