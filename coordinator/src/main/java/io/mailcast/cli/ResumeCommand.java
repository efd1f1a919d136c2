package io.mailcast.cli;

import io.mailcast.campaign.CampaignState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continues a paused campaign where it stopped.")
public final class ResumeCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "ID", description = "Campaign id")
    String id;

    @Override
    public Integer call() {
        return StateChange.apply(connection, id, CampaignState.RUNNING, null, CampaignState.PAUSED);
    }
}
