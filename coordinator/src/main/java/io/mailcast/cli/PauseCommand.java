package io.mailcast.cli;

import io.mailcast.campaign.CampaignState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Stops new sends within seconds; in-flight sends finish and chunks are handed back. resume continues exactly where it stopped.")
public final class PauseCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "ID", description = "Campaign id")
    String id;

    @Override
    public Integer call() {
        return StateChange.apply(connection, id, CampaignState.PAUSED, "paused by operator", CampaignState.RUNNING);
    }
}
