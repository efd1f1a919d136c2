package io.mailcast.coordinator;

import io.mailcast.campaign.CampaignProgress;
import io.mailcast.cli.Cli;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoDailyBudget;
import io.mailcast.store.MongoValidationJobStore;
import io.mailcast.validation.job.ValidationProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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

    @Parameters(paramLabel = "ID", description = "Campaign id, or validation job id (then: backlog, verdicts, ETA against "
            + "its deadline, today's budget)")
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

    /** The validation job {@code id}, when it is one: {@code status} shows those too. */
    private Optional<ValidationProgress> validationJob(MongoConnection mongo) {
        var jobs = new MongoValidationJobStore(mongo);
        Instant now = Instant.now();
        return jobs.find(id).map(job -> ValidationProgress.of(job, MongoChunkStore.forValidation(mongo).load(id),
                jobs.finishedAt(id).orElse(null),
                new MongoDailyBudget(mongo).spent(LocalDate.ofInstant(now, ZoneOffset.UTC)), now));
    }

    @Override
    public Integer call() throws InterruptedException {
        try (MongoConnection mongo = connection.mongo()) {
            if (new MongoCampaignStore(mongo).find(id).isEmpty()) {
                Optional<ValidationProgress> job = validationJob(mongo);
                if (job.isPresent()) {
                    System.out.println(json ? ValidationStatusView.json(job.get())
                            : String.join(System.lineSeparator(), ValidationStatusView.lines(job.get())));
                    return Cli.OK;
                }
            }
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
