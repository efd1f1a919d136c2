package io.mailcast.lab;

import com.hazelcast.core.HazelcastInstance;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignProgress;
import io.mailcast.chunk.LocalChunkBoard;
import io.mailcast.cli.Cli;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.engine.DeliveryTuning;
import io.mailcast.engine.Engine;
import io.mailcast.lab.fixtures.EmbeddedMongo;
import io.mailcast.lab.fixtures.IdType;
import io.mailcast.lab.fixtures.SubscriberGenerator;
import io.mailcast.node.SenderSettings;
import io.mailcast.render.MessageTemplate;
import io.mailcast.sender.Sender;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.TlsMode;
import io.mailcast.store.Collections;
import io.mailcast.store.MongoAddressClaims;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoSuppressionList;
import io.mailcast.subscriber.Audience;
import io.mailcast.suppression.UnsubscribeLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

@Command(name = "bench", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Measures end-to-end campaign time (submit to completion): a single-process baseline (no "
                + "cluster, same store, same concurrency per process), then real clusters of node processes. With "
                + "--sender smtp it first runs postfix's smtp-source and the SMTP sender alone on the same sink, as "
                + "yardsticks. Prints a table.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--recipients", defaultValue = "1000000", split = ",",
            description = "Eligible recipients; a comma-separated list runs each size (default: ${DEFAULT-VALUE})")
    List<Long> sizes;

    @Option(names = "--nodes", defaultValue = "1,2", split = ",", description = "Cluster sizes to run (default: ${DEFAULT-VALUE})")
    List<Integer> clusterSizes;

    @Option(names = "--skip-baseline", description = "Do not run the single-process baseline")
    boolean skipBaseline;

    @Option(names = "--concurrency", defaultValue = "10000", description = "Sends in flight per process (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--latency-ms", defaultValue = "500", description = "Simulated wait per e-mail (default: ${DEFAULT-VALUE})")
    long latencyMs;

    @Option(names = "--chunk-size", defaultValue = "1000", description = "Recipients per chunk (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(names = "--node-heap", defaultValue = "2g", description = "-Xmx of each node process (default: ${DEFAULT-VALUE})")
    String nodeHeap;

    @Option(names = "--base-port", defaultValue = "5901", description = "First member port (default: ${DEFAULT-VALUE})")
    int basePort;

    @Option(names = "--sender", defaultValue = "simulated", description = "simulated or smtp (default: ${DEFAULT-VALUE})")
    String sender;

    @Option(names = "--smtp-host", defaultValue = "127.0.0.1", description = "SMTP sink host (default: ${DEFAULT-VALUE})")
    String smtpHost;

    @Option(names = "--smtp-port", defaultValue = "2525", description = "SMTP sink port, e.g. postfix smtp-sink (default: ${DEFAULT-VALUE})")
    int smtpPort;

    @Option(names = "--smtp-pool", defaultValue = "32", description = "SMTP connections per process (default: ${DEFAULT-VALUE})")
    int smtpPool;

    @Option(names = "--smtp-source", defaultValue = "/usr/sbin/smtp-source",
            description = "postfix smtp-source, run first on the same sink as the yardstick; skipped when absent (default: ${DEFAULT-VALUE})")
    Path smtpSource;

    @Option(names = "--id-type", defaultValue = "long", split = ",", converter = IdTypeConverter.class,
            description = "Subscriber _id type: long, objectid or string; a comma-separated list runs each over its own"
                    + " population (default: ${DEFAULT-VALUE})")
    List<IdType> idTypes;

    @Option(names = "--population", defaultValue = "0",
            description = "Subscriber documents to generate, of which each run's audience takes the first N subscribed "
                    + "(default: as many as the largest size needs, two thirds subscribed)")
    long population;

    static final class IdTypeConverter implements CommandLine.ITypeConverter<IdType> {
        @Override
        public IdType convert(String value) {
            return IdType.parse(value);
        }
    }

    private record Row(String setup, IdType ids, int processes, long recipients, double wallSeconds, long finished,
                       String heap) {
    }

    /** The id type of the population being measured; rows take it from here. */
    private IdType ids = IdType.LONG;

    @Override
    public Integer call() throws Exception {
        long largest = sizes.stream().mapToLong(Long::longValue).max().orElseThrow();
        double ratio = 2.0 / 3;
        long needed = SubscriberGenerator.usersFor(largest, ratio);
        if (population != 0 && population < needed) {
            throw new IllegalArgumentException("--population " + population + " is too small: " + largest
                    + " recipients need at least " + needed + " documents (two thirds subscribed)");
        }
        long users = Math.max(population, needed);
        List<Row> rows = new ArrayList<>();
        Path logDir = Files.createTempDirectory("mailcast-bench-");
        try (EmbeddedMongo embedded = EmbeddedMongo.start("127.0.0.1", 0);
             MongoConnection mongo = MongoConnection.open(embedded.uri(), Duration.ofSeconds(10)).ensureIndexes()) {
            for (IdType idType : idTypes) {
                ids = idType;
                mongo.database().getCollection(Collections.SUBSCRIBERS).drop();
                mongo.ensureIndexes();
                long t0 = System.nanoTime();
                Population.populate(mongo, users, new SubscriberGenerator(ratio, 0, idType), done -> { });
                System.err.printf("populated %,d users with %s ids in %.1f s; node logs in %s%n", users, idType,
                        (System.nanoTime() - t0) / 1e9, logDir);
                for (long size : sizes) {
                    if (smtp() && Files.isExecutable(smtpSource)) {
                        rows.add(runSmtpSource(size));
                        print(rows.getLast());
                    }
                    if (smtp()) {
                        rows.add(runSenderAlone(size));
                        print(rows.getLast());
                    }
                    if (!skipBaseline) {
                        rows.add(runBaseline(mongo, size));
                        print(rows.getLast());
                    }
                    for (int n : clusterSizes) {
                        rows.add(runCluster(mongo, embedded.uri(), size, n, logDir));
                        print(rows.getLast());
                    }
                }
            }
        }
        table(rows);
        return Cli.OK;
    }

    /** The audience is "subscribed with id <= limit", so every size is exact over one population. */
    private Campaign campaign(long size) {
        long limit = SubscriberGenerator.usersFor(size, 2.0 / 3);
        Campaign example = LocalRun.exampleCampaign("bench-" + size + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt()), chunkSize);
        return new Campaign(example.id(), example.subject(), example.from(), null, example.textTemplate(),
                example.htmlTemplate(), new Audience(
                "{\"subscribed\": true, \"_id\": {\"$lte\": " + ids.json(limit) + "}}"), chunkSize, example.state(), null, 0, 0,
                example.createdAt(), null, null);
    }

    private Row runBaseline(MongoConnection mongo, long size) throws InterruptedException {
        LocalRun.clearRuns(mongo);
        LocalChunkBoard board = new LocalChunkBoard();
        Clock clock = Clock.systemUTC();
        try (Engine engine = Engine.builder("baseline")
                .board(board)
                .stores(new MongoCampaignStore(mongo), new MongoChunkStore(mongo), new MongoDeliveryStore(mongo))
                .subscribers(EmbeddedSubscriberSource.over(mongo))
                .suppressions(new MongoSuppressionList(mongo))
                .addressClaims(new MongoAddressClaims(mongo))
                .sender(senderSettings().create(null, clock))
                .tuning(DeliveryTuning.defaults(concurrency, Duration.ofSeconds(30)))
                .sweepInterval(Duration.ofMillis(200))
                .clock(clock)
                .build()) {
            engine.start();
            long start = System.nanoTime();
            Campaign c = LocalRun.submit(mongo, board, campaign(size));
            CampaignProgress end = LocalRun.awaitEnd(mongo, c.id(), Duration.ofMillis(100), Duration.ofHours(1), p -> { });
            return new Row("baseline: 1 process, no cluster", ids, 1, end.campaign().eligible(),
                    (System.nanoTime() - start) / 1e9, end.counts().finished(), "-");
        }
    }

    /**
     * The SMTP path on its own, to compare like with like against smtp-source: the same template rendered and
     * written as MIME for generated subscribers, sent at the same concurrency, with no store and no cluster.
     */
    private Row runSenderAlone(long size) throws InterruptedException {
        MessageTemplate template = MessageTemplate.of(campaign(size));
        SubscriberGenerator people = new SubscriberGenerator(1.0, 0, ids);
        Semaphore inFlight = new Semaphore(concurrency);
        LongAdder sent = new LongAdder();
        long start = System.nanoTime();
        try (Sender smtp = senderSettings().create(null, Clock.systemUTC())) {
            for (long id = 1; id <= size; id++) {
                long subscriberId = id;
                inFlight.acquire();
                Thread.ofVirtual().start(() -> {
                    try {
                        if (smtp.send(template.render(people.subscriber(subscriberId), UnsubscribeLink.NONE)).isSent()) {
                            sent.increment();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        inFlight.release();
                    }
                });
            }
            inFlight.acquire(concurrency);
        }
        return new Row("SMTP sender alone: render + MIME + SMTP, no store, no cluster", ids, 1, size,
                (System.nanoTime() - start) / 1e9, sent.sum(), "-");
    }

    private Row runCluster(MongoConnection mongo, String uri, long size, int n, Path logDir) throws InterruptedException {
        LocalRun.clearRuns(mongo);
        String cluster = "mailcast-bench-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        var spec = new NodeProcesses.Spec(n, cluster, basePort, basePort + 100, uri,
                nodeArgs(), nodeHeap, logDir);
        try (NodeProcesses nodes = NodeProcesses.start(spec)) {
            HazelcastInstance client = LocalRun.client(cluster, basePort, n);
            try {
                nodes.awaitMembers(client, Duration.ofSeconds(120));
                long start = System.nanoTime();
                Campaign c = LocalRun.submit(mongo, new HazelcastChunkBoard(client), campaign(size));
                CampaignProgress end = LocalRun.awaitEnd(mongo, c.id(), Duration.ofMillis(100), Duration.ofHours(1), p -> { });
                double wall = (System.nanoTime() - start) / 1e9;
                String heap = nodes.heapAfterGc().stream().map(b -> b < 0 ? "?" : String.valueOf(b >> 20))
                        .reduce((a, b) -> a + "/" + b).orElse("-");
                return new Row(n + " node" + (n > 1 ? "s" : "") + ", Hazelcast TCP", ids, n, end.campaign().eligible(), wall,
                        end.counts().finished(), heap);
            } finally {
                client.shutdown();
            }
        }
    }

    private boolean smtp() {
        return switch (sender) {
            case "simulated" -> false;
            case "smtp" -> true;
            default -> throw new IllegalArgumentException("--sender must be simulated or smtp, got '" + sender + "'");
        };
    }

    private SenderSettings senderSettings() {
        return smtp()
                ? new SenderSettings.Smtp(SmtpConfig.of(smtpHost, smtpPort).withTls(TlsMode.NONE).withPoolSize(smtpPool))
                : new SenderSettings.Simulated(Duration.ofMillis(latencyMs), 0);
    }

    private List<String> nodeArgs() {
        List<String> args = new ArrayList<>(List.of("--concurrency", String.valueOf(concurrency)));
        if (smtp()) {
            args.addAll(List.of("--sender", "smtp", "--smtp-host", smtpHost, "--smtp-port", String.valueOf(smtpPort),
                    "--smtp-tls", "none", "--smtp-pool", String.valueOf(smtpPool)));
        } else {
            args.addAll(List.of("--sender", "simulated", "--latency-ms", String.valueOf(latencyMs)));
        }
        return args;
    }

    /** postfix's C load generator on the same sink: {@code -d} keeps each of the sessions open for many messages. */
    private Row runSmtpSource(long messages) throws IOException, InterruptedException {
        List<String> command = List.of(smtpSource.toString(), "-d", "-s", String.valueOf(smtpPool), "-l", "2500",
                "-m", String.valueOf(messages), "-f", "bench@mailcast.example", "-t", "sink@mailcast.example",
                smtpHost + ":" + smtpPort);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("smtp-source exited with " + p.exitValue() + "; is a sink listening on "
                    + smtpHost + ":" + smtpPort + "? (smtp-sink -u nobody " + smtpHost + ":" + smtpPort + " 1000)");
        }
        return new Row("postfix smtp-source -d, " + smtpPool + " sessions (C yardstick)", ids, 0, messages,
                (System.nanoTime() - start) / 1e9, messages, "-");
    }

    private void print(Row r) {
        System.err.printf(Locale.ROOT, "  %s, %s ids: %,d recipients in %.1f s%n", r.setup(), r.ids(), r.recipients(),
                r.wallSeconds());
    }

    private void table(List<Row> rows) {
        String what = smtp() ? "SMTP to " + smtpHost + ":" + smtpPort + ", " + smtpPool + " connections per process"
                : "simulated sender, " + latencyMs + " ms per e-mail";
        System.out.printf(Locale.ROOT, "%nMailcast bench: %s, concurrency %,d per process, chunk %,d, %d cores%n%n",
                what, concurrency, chunkSize, Runtime.getRuntime().availableProcessors());
        String yardstick = smtp() ? " of smtp-source's msg/s |" : "";
        System.out.println("| setup | ids | recipients | finished | wall s | messages/s | vs baseline | vs long ids |"
                + " node heap after GC (MB) |" + yardstick);
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|" + (smtp() ? "---:|" : ""));
        for (Row r : rows) {
            Row base = rows.stream().filter(b -> b.setup().startsWith("baseline") && b.recipients() == r.recipients()
                    && b.ids() == r.ids()).findFirst().orElse(null);
            Row sameWithLongIds = rows.stream().filter(b -> b.setup().equals(r.setup()) && b.recipients() == r.recipients()
                    && b.ids() == IdType.LONG).findFirst().orElse(null);
            String vsLong = sameWithLongIds == null ? "-"
                    : String.format(Locale.ROOT, "%.2fx", r.wallSeconds() / sameWithLongIds.wallSeconds());
            Row source = rows.stream().filter(b -> b.setup().startsWith("postfix smtp-source") && b.recipients() == r.recipients())
                    .findFirst().orElse(null);
            String ratio = base == null ? "-" : String.format(Locale.ROOT, "%.2fx", r.wallSeconds() / base.wallSeconds());
            String ofSource = source == null ? "-" : String.format(Locale.ROOT, "%.0f%%",
                    100 * (r.finished() / r.wallSeconds()) / (source.finished() / source.wallSeconds()));
            System.out.printf(Locale.ROOT, "| %s | %s | %,d | %,d | %.1f | %,.0f | %s | %s | %s |%s%n", r.setup(),
                    r.ids().name().toLowerCase(Locale.ROOT), r.recipients(), r.finished(), r.wallSeconds(),
                    r.finished() / r.wallSeconds(), ratio, vsLong, r.heap(),
                    smtp() ? " " + ofSource + " |" : "");
        }
    }
}
