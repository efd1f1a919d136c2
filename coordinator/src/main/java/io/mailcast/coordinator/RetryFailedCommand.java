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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.util.concurrent.Callable;

@Command(name = "retry-failed", mixinStandardHelpOptions = true,
        description = "Sends again to the recipients recorded as FAILED, and to no one else (campaign COMPLETED or "
                + "PAUSED). Failures the relay called permanent (5xx) are skipped unless --include-permanent is given.")
public final class RetryFailedCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "ID", description = "Campaign id")
    String id;

    @Option(names = "--include-permanent",
            description = "Also retry recipients the relay refused for good (5xx); these usually fail again")
    boolean includePermanent;

    @Override
    public Integer call() {
        try (MongoConnection mongo = connection.mongo()) {
            CampaignLookup lookup = new CampaignLookup(mongo);
            var campaign = lookup.campaign(id);
            HazelcastInstance cluster = connection.cluster();
            try {
                FailedRetry.Retry retry = new FailedRetry(lookup.campaigns(), new MongoChunkStore(mongo),
                        new HazelcastChunkBoard(cluster), new MongoDeliveryStore(mongo), Clock.systemUTC())
                        .retry(campaign, includePermanent);
                String skipped = retry.skippedPermanent() == 0 ? ""
                        : "; skipped " + retry.skippedPermanent() + " permanent failures (5xx), --include-permanent retries them too";
                System.out.println((retry.retrying() == 0 ? "campaign " + id + " has no failed recipients to retry"
                        : "campaign " + id + ": retrying " + retry.retrying() + " failed recipients") + skipped);
                return Cli.OK;
            } finally {
                cluster.shutdown();
            }
        }
    }
}
