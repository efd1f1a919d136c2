package io.mailcast.lab;

import com.hazelcast.core.HazelcastInstance;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignProgress;
import io.mailcast.chunk.ChunkCounts;
import io.mailcast.cli.Cli;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.coordinator.NodeFigures;
import io.mailcast.coordinator.ProgressView;
import io.mailcast.coordinator.RateMeter;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.lab.fixtures.SubscriberGenerator;
import io.mailcast.store.MongoConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

@Command(name = "demo", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Runs a whole campaign on this machine with nothing installed but a JDK: an embedded MongoDB, "
                + "generated subscribers, --nodes real cluster members as separate JVM processes on loopback, and the "
                + "simulated sender. Shows live progress and ends with a summary.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--subscribers", defaultValue = "20000", description = "Eligible recipients (default: ${DEFAULT-VALUE})")
    long subscribers;

    @Option(names = "--nodes", defaultValue = "2", description = "Node processes (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--concurrency", defaultValue = "2000", description = "Sends in flight per node (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--latency-ms", defaultValue = "500", description = "Simulated wait per e-mail (default: ${DEFAULT-VALUE})")
    long latencyMs;

    @Option(names = "--failure-rate", defaultValue = "0", description = "Simulated transient failure share (default: ${DEFAULT-VALUE})")
    double failureRate;

    @Option(names = "--invalid-ratio", defaultValue = "0.002", description = "Share of malformed addresses (default: ${DEFAULT-VALUE})")
    double invalidRatio;

    @Option(names = "--chunk-size", defaultValue = "1000", description = "Recipients per chunk (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(names = "--base-port", defaultValue = "5801", description = "First member port (default: ${DEFAULT-VALUE})")
    int basePort;

    @Option(names = "--timeout-seconds", defaultValue = "900", description = "Give up after this long (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = "--json", description = "End with one JSON summary line")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (subscribers < 1 || nodes < 1 || nodes > 16) {
            throw new IllegalArgumentException("--subscribers must be at least 1 and --nodes between 1 and 16");
        }
        Path logDir = Files.createTempDirectory("mailcast-demo-");
        String clusterName = "mailcast-demo-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        try (EmbeddedMongo embedded = EmbeddedMongo.start("127.0.0.1", 0);
             MongoConnection mongo = MongoConnection.open(embedded.uri(), Duration.ofSeconds(10)).ensureIndexes()) {
            double ratio = 2.0 / 3;
            long users = SubscriberGenerator.usersFor(subscribers, ratio);
            say("embedded MongoDB at %s; generating %,d users (%,d subscribed)...", embedded.uri(), users, subscribers);
            Population.populate(mongo, users, new SubscriberGenerator(ratio, invalidRatio), done -> { });
            say("starting %d node processes (logs in %s)...", nodes, logDir);
            var spec = new NodeProcesses.Spec(nodes, clusterName, basePort, basePort + 100, embedded.uri(),
                    List.of("--sender", "simulated", "--latency-ms", String.valueOf(latencyMs), "--failure-rate",
                            String.valueOf(failureRate), "--concurrency", String.valueOf(concurrency)), "1g", logDir);
            try (NodeProcesses processes = NodeProcesses.start(spec)) {
                HazelcastInstance client = LocalRun.client(clusterName, basePort, nodes);
                try {
                    processes.awaitMembers(client, Duration.ofSeconds(90));
                    long start = System.nanoTime();
                    Campaign campaign = LocalRun.submit(mongo, new HazelcastChunkBoard(client),
                            LocalRun.exampleCampaign("demo-" + Long.toHexString(System.currentTimeMillis()), chunkSize));
                    say("campaign %s: %,d recipients in %,d chunks", campaign.id(), campaign.eligible(), campaign.chunks());
                    ProgressView view = new ProgressView(System.err, false, ProgressView.isTerminal());
                    RateMeter rate = new RateMeter(Duration.ofSeconds(5));
                    CampaignProgress end = LocalRun.awaitEnd(mongo, campaign.id(), Duration.ofMillis(500), Duration.ofSeconds(timeoutSeconds), p -> {
                        rate.sample(System.nanoTime(), p.counts().finished());
                        view.update(rate.applyTo(p), NodeFigures.Result.EMPTY);
                    });
                    double wall = (System.nanoTime() - start) / 1e9;
                    summary(end, wall);
                    return end.counts().finished() == end.campaign().eligible() ? Cli.OK : Cli.FAILED;
                } finally {
                    client.shutdown();
                }
            }
        }
    }

    private void summary(CampaignProgress end, double wall) {
        ChunkCounts c = end.counts();
        double perSecond = c.finished() / wall;
        System.out.printf(Locale.ROOT, "%ncampaign %s %s in %.1f s: eligible %,d, sent %,d, failed %,d, invalid %,d, "
                        + "uncertain %,d; %,.0f recipients/s over %d nodes%n", end.campaign().id(), end.campaign().state(),
                wall, end.campaign().eligible(), c.sent(), c.failed(), c.invalid(), c.uncertain(), perSecond, nodes);
        if (json) {
            System.out.printf(Locale.ROOT, "{\"campaignId\":\"%s\",\"state\":\"%s\",\"nodes\":%d,\"eligible\":%d,\"sent\":%d,"
                            + "\"failed\":%d,\"invalid\":%d,\"uncertain\":%d,\"wallSeconds\":%.2f,\"perSecond\":%.1f}%n",
                    end.campaign().id(), end.campaign().state(), nodes, end.campaign().eligible(), c.sent(), c.failed(),
                    c.invalid(), c.uncertain(), wall, perSecond);
        }
    }

    private static void say(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }
}
