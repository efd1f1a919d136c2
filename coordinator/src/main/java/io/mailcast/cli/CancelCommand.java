package io.mailcast.cli;

import io.mailcast.campaign.CampaignState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Stops a campaign for good; the deliveries collection records who was mailed, status shows who was not.")
public final class CancelCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "ID", description = "Campaign id")
    String id;

    @Override
    public Integer call() {
        return StateChange.apply(connection, id, CampaignState.CANCELLED, "cancelled by operator", CampaignState.RUNNING, CampaignState.PAUSED, CampaignState.PLANNING);
    }
}
