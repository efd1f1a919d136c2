package io.mailcast.coordinator;

import io.mailcast.campaign.Campaign;
import io.mailcast.cli.Cli;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists campaigns, oldest first.")
public final class ListCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        try (MongoConnection mongo = connection.mongo()) {
            MongoCampaignStore campaigns = new CampaignLookup(mongo).campaigns();
            System.out.printf("%-32s %-10s %12s %8s  %-21s %s%n", "ID", "STATE", "ELIGIBLE", "CHUNKS", "CREATED", "SENDER");
            for (Campaign c : campaigns.all()) {
                Set<String> senders = campaigns.senders(c.id());
                String sender = senders.isEmpty() ? "-" : String.join(",", senders)
                        + (senders.stream().anyMatch(k -> k.contains("simulated")) ? " (SIMULATED: nothing really sent)" : "");
                System.out.printf("%-32s %-10s %,12d %,8d  %-21s %s%n", c.id(), c.state(), c.eligible(), c.chunks(),
                        c.createdAt(), sender);
            }
            return Cli.OK;
        }
    }
}
