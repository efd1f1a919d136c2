package io.mailcast.coordinator;

import io.mailcast.campaign.CampaignProgress;
import io.mailcast.cli.Cli;
import io.mailcast.store.MongoConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Shows a campaign's progress: eligible, sent, failed, invalid, uncertain (by cause: node died, relay "
                + "connection lost), remaining, rate and ETA.")
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "ID", description = "Campaign id")
    String id;

    @Option(names = "--watch", description = "Redraw until the campaign ends")
    boolean watch;

    @Option(names = "--json", description = "One JSON object (per refresh with --watch)")
    boolean json;

    @Option(names = "--interval-ms", defaultValue = "1000", description = "Refresh interval with --watch (default: ${DEFAULT-VALUE})")
    long intervalMs;

    @Option(names = "--per-node", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Also show each node's figures, read from the cluster (on by default with --watch)")
    Boolean perNode;

    @Override
    public Integer call() throws InterruptedException {
        try (MongoConnection mongo = connection.mongo()) {
            CampaignLookup lookup = new CampaignLookup(mongo);
            CampaignProgress progress = lookup.progress(id);
            ProgressView view = new ProgressView(System.out, json, ProgressView.isTerminal());
            try (NodeFigures nodes = perNode || (watch && !json) ? NodeFigures.connect(connection) : NodeFigures.NONE) {
                if (!watch) {
                    view.show(progress, nodes.read());
                    return Cli.OK;
                }
                return watch(lookup, progress, view, nodes);
            }
        }
    }

    private int watch(CampaignLookup lookup, CampaignProgress first, ProgressView view, NodeFigures nodes)
            throws InterruptedException {
        CampaignProgress progress = first;
        RateMeter rate = new RateMeter(Duration.ofSeconds(10));
        while (true) {
            rate.sample(System.nanoTime(), progress.counts().finished());
            progress = rate.applyTo(progress);
            view.update(progress, nodes.read());
            if (progress.campaign().state().isFinal()) {
                view.finish(progress);
                return Cli.OK;
            }
            Thread.sleep(intervalMs);
            progress = lookup.progress(id);
        }
    }

}
