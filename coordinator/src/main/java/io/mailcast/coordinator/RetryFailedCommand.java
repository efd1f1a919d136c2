package io.mailcast.coordinator;

import com.hazelcast.core.HazelcastInstance;
import io.mailcast.cli.Cli;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.engine.FailedRetry;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoDeliveryStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.util.concurrent.Callable;

@Command(name = "retry-failed", mixinStandardHelpOptions = true,
        description = "Sends again to the recipients recorded as FAILED, and to no one else (campaign COMPLETED or PAUSED).")
public final class RetryFailedCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "ID", description = "Campaign id")
    String id;

    @Override
    public Integer call() {
        try (MongoConnection mongo = connection.mongo()) {
            CampaignLookup lookup = new CampaignLookup(mongo);
            var campaign = lookup.campaign(id);
            HazelcastInstance cluster = connection.cluster();
            try {
                int n = new FailedRetry(lookup.campaigns(), new MongoChunkStore(mongo), new HazelcastChunkBoard(cluster),
                        new MongoDeliveryStore(mongo), Clock.systemUTC()).retry(campaign);
                System.out.println(n == 0 ? "campaign " + id + " has no failed recipients"
                        : "campaign " + id + ": retrying " + n + " failed recipients");
                return Cli.OK;
            } finally {
                cluster.shutdown();
            }
        }
    }
}
