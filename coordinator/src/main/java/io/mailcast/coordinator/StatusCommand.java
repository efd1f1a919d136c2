package io.mailcast.coordinator;

import io.mailcast.campaign.CampaignProgress;
import io.mailcast.cli.Cli;
import io.mailcast.store.MongoConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Shows a campaign's progress: eligible, sent, failed, invalid, suppressed, skipped (same address as another subscriber), unverified (campaigns requiring validation), uncertain (by cause: "
                + "node died, relay connection lost), remaining, rate and ETA.")
public final class StatusCommand implements Callable<Integer> {

    private static final NodeFigures.Result CONNECTING =
            new NodeFigures.Result(List.of(), "per-node figures: connecting to the cluster…");
    /** Nodes publish their figures every 5 s; the last frame waits for one round after the end, no longer. */
    private static final Duration NODES_SETTLE = Duration.ofSeconds(6);

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
            boolean withNodes = perNode || (watch && !json);
            RateMeter rate = new RateMeter(CampaignProgress.RATE_WINDOW);
            rate.sample(System.nanoTime(), progress.counts().finished());
            boolean live = watch && !progress.campaign().state().isFinal();
            if (live) {
                // Joining the cluster for the per-node lines takes seconds; the store's figures are on screen meanwhile.
                view.update(rate.applyTo(progress), withNodes ? CONNECTING : NodeFigures.Result.EMPTY);
            }
            try (NodeFigures nodes = withNodes ? NodeFigures.connect(connection) : NodeFigures.NONE) {
                if (!watch) {
                    view.show(progress, nodes.read());
                    return Cli.OK;
                }
                while (live) {
                    Thread.sleep(intervalMs);
                    progress = lookup.progress(id);
                    rate.sample(System.nanoTime(), progress.counts().finished());
                    live = !progress.campaign().state().isFinal();
                    if (live) {
                        view.update(rate.applyTo(progress), nodes.read());
                    }
                }
                // The last frame: the campaign's final figures, and each node's once it has published after the end.
                Instant end = Objects.requireNonNullElseGet(progress.campaign().finishedAt(), Instant::now);
                view.update(progress, nodes.settled(end, NODES_SETTLE, Duration.ofMillis(intervalMs)));
                view.finish(progress);
                return Cli.OK;
            }
        }
    }
}
