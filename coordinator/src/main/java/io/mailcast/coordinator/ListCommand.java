package io.mailcast.coordinator;

import io.mailcast.campaign.Campaign;
import io.mailcast.cli.Cli;
import io.mailcast.store.MongoConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists campaigns, oldest first.")
public final class ListCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        try (MongoConnection mongo = connection.mongo()) {
            List<Campaign> all = new CampaignLookup(mongo).campaigns().all();
            System.out.printf("%-32s %-10s %12s %8s  %s%n", "ID", "STATE", "ELIGIBLE", "CHUNKS", "CREATED");
            for (Campaign c : all) {
                System.out.printf("%-32s %-10s %,12d %,8d  %s%n", c.id(), c.state(), c.eligible(), c.chunks(), c.createdAt());
            }
            return Cli.OK;
        }
    }
}
