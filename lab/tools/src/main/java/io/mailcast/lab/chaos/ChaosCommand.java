package io.mailcast.lab.chaos;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignProgress;
import io.mailcast.campaign.CampaignState;
import io.mailcast.chunk.ChunkRecord;
import io.mailcast.chunk.ChunkState;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.cluster.HazelcastChunkBoard;
import io.mailcast.cluster.HazelcastConfigs;
import io.mailcast.delivery.Delivery;
import io.mailcast.delivery.UncertainCause;
import io.mailcast.delivery.Outcome;
import io.mailcast.engine.CampaignSubmitter;
import io.mailcast.lab.fixtures.MongoSubscriberWriter;
import io.mailcast.lab.fixtures.SubscriberGenerator;
import io.mailcast.store.MongoCampaignStore;
import io.mailcast.store.MongoChunkStore;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoDeliveryStore;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.subscriber.Audience;
import io.mailcast.subscriber.Subscriber;
import io.mailcast.subscriber.SubscriberId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The multi-process chaos test of the crash-safety promise: <em>no eligible recipient is ever skipped; a recipient is
 * mailed twice only if a node died while that very message was in flight, and the number of such uncertain sends is
 * counted and shown</em>.
 *
 * <p>Everything runs on loopback: an embedded MongoDB as its own process (so it can be killed and restarted on the
 * same port and H2 data directory), {@code --nodes} node processes sending over SMTP to a {@link CountingSmtpServer}
 * in this process, and a Hazelcast client here to submit. Each round submits a fresh campaign, disrupts it at a random
 * point, waits for COMPLETED, and checks the receiver's per-recipient counts against the campaign's status. A
 * {@code relaydrop} round disturbs no process: the receiver hangs up after the final dot on a share of messages, as a
 * relay whose connection drops after accepting a message does.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        description = "Chaos test of crash safety on this machine: kills, stops and pauses nodes, restarts MongoDB "
                + "mid-campaign and drops relay connections after the final dot, then checks that every eligible recipient got the campaign and that duplicates never "
                + "exceed the uncertain count in the status. One line per round; exit 0 when all rounds pass.")
public final class ChaosCommand implements Callable<Integer> {

    /** The planning lease a killed submit leaves behind in a planning round. */
    private static final Duration PLANNING_LEASE_LEFT = Duration.ofSeconds(3);

    /** What a round does to its campaign. */
    enum Kind {
        /** SIGKILL a random node mid-campaign, then start a replacement. */
        kill,
        /**
         * SIGKILL two random nodes at the same moment, then start two replacements. Not in the default list: with one
         * backup, two deaths can lose part of the chunk board, which the supervisor restores from the store.
         */
        kill2,
        /** SIGTERM a random node mid-campaign (graceful stop), then start a replacement. Must cause no duplicate. */
        term,
        /** Pause the campaign mid-way, check that sending stops, resume. Must cause no duplicate. */
        pause,
        /** Stop the embedded MongoDB mid-campaign and restart it on the same port and data directory. */
        mongo,
        /**
         * The receiver hangs up after counting the message on {@code --relay-drop-share} of messages, for the whole
         * round: every resulting second copy must be counted and flagged uncertain.
         */
        relaydrop,
        /**
         * A submit killed while PLANNING: the campaign is stored with a planning lease nobody renews, and no chunks.
         * Supervision must plan it afresh once the lease runs out, and the campaign must complete like any other.
         */
        planning,
        /**
         * Cut one node's Hazelcast traffic (its namespace drops the member ports; MongoDB and SMTP stay reachable) for
         * {@code --partition-seconds}, then heal: a split brain and a merge. The campaign must complete within
         * {@code --heal-limit-seconds} after the heal. Runs every node of the run in its own network namespace.
         */
        partition;

        /** What {@code random:N} draws from by default: every kind whose promise is checked alone (kill2 stays explicit). */
        static final List<Kind> DRAWN = List.of(kill, term, pause, mongo, relaydrop, planning, partition);
    }

    @Option(names = "--recipients", defaultValue = "50000", description = "Eligible recipients (default: ${DEFAULT-VALUE})")
    long recipients;

    @Option(names = "--nodes", defaultValue = "3", description = "Node processes, at least 3 (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--rounds", defaultValue = "kill,kill,kill,term,pause,mongo", split = ",",
            description = "Rounds in order, from kill, term, pause, mongo, relaydrop, planning, partition, kill2; or "
                    + "random:N for N rounds whose fault, moment and node are drawn from the seed (default: ${DEFAULT-VALUE})")
    List<String> roundNames;

    @Option(names = "--draw-from", split = ",", paramLabel = "KIND",
            description = "The kinds random:N draws from (default: kill, term, pause, mongo, relaydrop, planning, partition)")
    List<String> drawFrom;

    private List<Kind> rounds;

    @Option(names = "--concurrency", defaultValue = "200", description = "Sends in flight per node (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--chunk-size", defaultValue = "250", description = "Recipients per chunk (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(names = "--lease-seconds", defaultValue = "6", description = "Node chunk lease (default: ${DEFAULT-VALUE})")
    long leaseSeconds;

    @Option(names = "--shutdown-grace-seconds", defaultValue = "30", description = "Node graceful-stop grace (default: ${DEFAULT-VALUE})")
    long shutdownGraceSeconds;

    @Option(names = "--smtp-port", defaultValue = "2625", description = "Port of the counting SMTP receiver (default: ${DEFAULT-VALUE})")
    int smtpPort;

    @Option(names = "--smtp-min-delay-ms", defaultValue = "20", description = "Receiver's least delay before 250 (default: ${DEFAULT-VALUE})")
    long smtpMinDelayMs;

    @Option(names = "--smtp-max-delay-ms", defaultValue = "50", description = "Receiver's most delay before 250 (default: ${DEFAULT-VALUE})")
    long smtpMaxDelayMs;

    @Option(names = "--relay-drop-share", defaultValue = "0.01", description = "Share of messages after whose final dot "
            + "the receiver hangs up in a relaydrop round (default: ${DEFAULT-VALUE})")
    double relayDropShare;

    @Option(names = "--mongo-port", defaultValue = "27999", description = "Port of the embedded MongoDB (default: ${DEFAULT-VALUE})")
    int mongoPort;

    @Option(names = "--mongo-downtime-seconds", defaultValue = "4", description = "How long MongoDB stays down in a mongo round (default: ${DEFAULT-VALUE})")
    long mongoDowntimeSeconds;

    @Option(names = "--mongo-sigkill", description = "Stop MongoDB with SIGKILL instead of SIGTERM in mongo rounds: tests "
            + "the embedded server's H2 durability as much as Mailcast (acknowledged writes of the last second may be lost)")
    boolean mongoSigkill;

    @Option(names = "--base-port", defaultValue = "6101", description = "First member port; replacements take the next ones (default: ${DEFAULT-VALUE})")
    int basePort;

    @Option(names = "--partition-seconds", defaultValue = "20", description = "How long a partition round keeps its "
            + "node cut off; above the 10 s heartbeat timeout, so the cluster splits (default: ${DEFAULT-VALUE})")
    long partitionSeconds;

    @Option(names = "--heal-limit-seconds", defaultValue = "60", description = "A partition round fails when its "
            + "campaign completes later than this after the heal (default: ${DEFAULT-VALUE})")
    long healLimitSeconds;

    @Option(names = "--netns-subnet", defaultValue = "10.232.0", description = "Private /24 (three octets) for the "
            + "network namespaces of a run with partition rounds (default: ${DEFAULT-VALUE})")
    String netnsSubnet;

    @Option(names = "--pause-seconds", defaultValue = "4", description = "How long a pause round watches for sends while paused (default: ${DEFAULT-VALUE})")
    long pauseSeconds;

    @Option(names = "--round-timeout-seconds", defaultValue = "600", description = "Give up on a round after this long (default: ${DEFAULT-VALUE})")
    long roundTimeoutSeconds;

    @Option(names = "--subscribed-ratio", defaultValue = "0.8", description = "Share of generated users that are eligible; the rest must get nothing (default: ${DEFAULT-VALUE})")
    double subscribedRatio;

    @Option(names = "--node-heap", defaultValue = "384m", description = "-Xmx of each node (default: ${DEFAULT-VALUE})")
    String nodeHeap;

    @Option(names = "--seed", description = "Random seed for which node and when (default: random, printed)")
    Long seed;

    @Option(names = "--work-dir", description = "Where logs and MongoDB data go (default: a new temporary directory, kept)")
    Path workDir;

    private final PrintStream out;
    private final PrintStream err;

    private Random random;
    private ChaosNetwork network;
    private ChaosProcesses processes;
    private CountingSmtpServer smtp;
    private MongoConnection mongo;
    private HazelcastInstance client;
    private MongoCampaignStore campaigns;
    private MongoChunkStore chunks;
    private MongoDeliveryStore deliveries;
    private CampaignSubmitter submitter;
    private Map<String, Long> eligibleAddresses;
    private List<SubscriberId> eligibleIds;
    /** When the current partition round healed its cut (System.nanoTime), or 0. */
    private long healedAt;
    /** The node the current partition round cut off, and where its log stood at the heal; null when none. */
    private ChaosProcesses.Node cutNode;
    private long cutNodeLogAtHeal;

    public ChaosCommand() {
        this(System.out, System.err);
    }

    /** @param out where the result lines go; {@code err} gets the narration */
    public ChaosCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** One round's figures. */
    record RoundResult(int number, Kind kind, String campaignId, long eligible, long received, long missing,
                       long duplicates, long uncertain, long deliveries, long unexpected, double wallSeconds,
                       List<String> problems, List<String> notes) {
        boolean passed() {
            return problems.isEmpty();
        }

        String line(int of) {
            return String.format(Locale.ROOT,
                    "chaos round %d/%d %-9s eligible=%d received=%d missing=%d duplicates=%d uncertain=%d "
                            + "uncertain/dup=%s deliveries=%d unexpected=%d wall=%.1fs %s%s",
                    number, of, kind, eligible, received, missing, duplicates, uncertain, ratio(uncertain, duplicates), deliveries,
                    unexpected, wallSeconds, passed() ? "PASS" : "FAIL",
                    passed() ? "" : " (" + String.join("; ", problems) + ")");
        }

    }

    /**
     * How loose the uncertain figure is: "uncertain is N x the real duplicates", 1.00 when every uncertain send really
     * was a second copy; "-" without duplicates.
     */
    static String ratio(long uncertain, long duplicates) {
        return duplicates == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double) uncertain / duplicates);
    }

    /** The summary lines: per kind, rounds, failures, missing, duplicates, uncertain and their ratio, then the total. */
    static List<String> summary(List<RoundResult> results) {
        Map<String, List<RoundResult>> byKind = new TreeMap<>();
        for (RoundResult r : results) {
            byKind.computeIfAbsent(r.kind().name(), k -> new ArrayList<>()).add(r);
            byKind.computeIfAbsent("all", k -> new ArrayList<>()).add(r);
        }
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, List<RoundResult>> e : byKind.entrySet()) {
            if (e.getKey().equals("all")) {
                continue;
            }
            lines.add(summaryLine(e.getKey(), e.getValue()));
        }
        lines.add(summaryLine("all", byKind.getOrDefault("all", List.of())));
        return lines;
    }

    private static String summaryLine(String kind, List<RoundResult> rs) {
        long missing = rs.stream().mapToLong(RoundResult::missing).sum();
        long duplicates = rs.stream().mapToLong(RoundResult::duplicates).sum();
        long uncertain = rs.stream().mapToLong(RoundResult::uncertain).sum();
        long failed = rs.stream().filter(r -> !r.passed()).count();
        String ratio = ratio(uncertain, duplicates);
        return String.format(Locale.ROOT, "chaos summary %-9s rounds=%d failed=%d missing=%d duplicates=%d uncertain=%d "
                        + "uncertain/dup=%s%s", kind, rs.size(), failed, missing, duplicates, uncertain, ratio,
                ratio.equals("-") ? "" : " (uncertain is " + ratio + "x the real duplicates)");
    }

    @Override
    public Integer call() throws Exception {
        long actualSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        random = new Random(actualSeed);
        rounds = RoundList.parse(roundNames, RoundList.kinds(drawFrom), random);
        validate();
        boolean partitions = rounds.contains(Kind.partition);
        if (partitions) {
            String missing = ChaosNetwork.missingPrerequisite(netnsSubnet);
            if (missing != null) {
                throw new IllegalArgumentException(missing);
            }
        }
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("mailcast-chaos-");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path data = dir.resolve("mongo-data");
        if (Files.exists(data.resolve("mailcast.mv"))) {
            throw new IllegalArgumentException("--work-dir " + dir + " holds data of an earlier run; use an empty directory");
        }
        String clusterName = "mailcast-chaos-" + Long.toHexString(actualSeed & 0xffffffL);
        say("seed %d; logs and MongoDB data in %s", actualSeed, dir);
        int passed = 0;
        List<RoundResult> results = new ArrayList<>();
        // Closed last (resources close in reverse): the namespaces go once no process is left in them.
        try (ChaosNetwork net = partitions ? ChaosNetwork.create(netnsSubnet) : null;
             ChaosProcesses procs = new ChaosProcesses(logs, net);
             CountingSmtpServer receiver = CountingSmtpServer.start(InetAddress.getByName(procs.host()), smtpPort,
                     Duration.ofMillis(smtpMinDelayMs), Duration.ofMillis(smtpMaxDelayMs))) {
            network = net;
            processes = procs;
            smtp = receiver;
            String host = processes.host();
            if (network != null) {
                say("partition rounds: each node in its own network namespace on %s.0/24", netnsSubnet);
            }
            say("counting SMTP receiver on %s:%d (delay %d-%d ms per message)", host, smtp.port(), smtpMinDelayMs, smtpMaxDelayMs);
            processes.startMongo(mongoPort, data, Duration.ofSeconds(60));
            String mongoUri = "mongodb://" + host + ":" + mongoPort + "/mailcast";
            mongo = MongoConnection.open(mongoUri, Duration.ofSeconds(20)).ensureIndexes();
            try {
                campaigns = new MongoCampaignStore(mongo);
                chunks = new MongoChunkStore(mongo);
                deliveries = new MongoDeliveryStore(mongo);
                populate();
                processes.nodeSpec(new ChaosProcesses.NodeSpec(clusterName, basePort, mongoUri, List.of(
                        "--sender", "smtp", "--smtp-host", host, "--smtp-port", String.valueOf(smtp.port()),
                        "--smtp-tls", "none", "--concurrency", String.valueOf(concurrency),
                        "--lease-seconds", String.valueOf(leaseSeconds),
                        "--shutdown-grace-seconds", String.valueOf(shutdownGraceSeconds)), nodeHeap));
                say("starting %d node processes...", nodes);
                for (int i = 0; i < nodes; i++) {
                    processes.startNode();
                }
                client = HazelcastClient.newHazelcastClient(HazelcastConfigs.client(ClusterConfig.local(clusterName,
                        IntStream.rangeClosed(1, maxSlots()).mapToObj(this::memberAddress).toList()),
                        Duration.ofSeconds(120)));
                try {
                    awaitCluster(Duration.ofSeconds(120));
                    submitter = new CampaignSubmitter(campaigns, chunks, new HazelcastChunkBoard(client),
                            new MongoSubscriberSource(mongo), Clock.systemUTC());
                    for (int i = 0; i < rounds.size(); i++) {
                        RoundResult r = round(i + 1, rounds.get(i));
                        results.add(r);
                        out.println(r.line(rounds.size()));
                        out.flush();
                        if (r.passed()) {
                            passed++;
                        }
                    }
                } finally {
                    client.shutdown();
                }
            } finally {
                mongo.close();
            }
        }
        summary(results).forEach(out::println);
        out.flush();
        say("%d of %d rounds passed; logs in %s", passed, rounds.size(), logs);
        return passed == rounds.size() ? 0 : 1;
    }

    /** Node slots a run can use: the first nodes and two replacements per round. */
    private int maxSlots() {
        return nodes + 2 * rounds.size();
    }

    private String memberAddress(int slot) {
        return (network == null ? "127.0.0.1" : network.nodeAddress(slot)) + ":" + (basePort + slot - 1);
    }

    private void validate() {
        if (nodes < 3 || nodes > 12) {
            throw new IllegalArgumentException("--nodes must be between 3 and 12, got " + nodes);
        }
        if (recipients < 100) {
            throw new IllegalArgumentException("--recipients must be at least 100, got " + recipients);
        }
        if (rounds == null || rounds.isEmpty() || rounds.size() > 50) {
            throw new IllegalArgumentException("--rounds must name 1 to 50 rounds");
        }
        if (relayDropShare <= 0 || relayDropShare >= 1) {
            throw new IllegalArgumentException("--relay-drop-share must be above 0 and below 1, got " + relayDropShare);
        }
        if (subscribedRatio <= 0 || subscribedRatio > 1) {
            throw new IllegalArgumentException("--subscribed-ratio must be in (0, 1], got " + subscribedRatio);
        }
        if (partitionSeconds < 1 || healLimitSeconds < 1) {
            throw new IllegalArgumentException("--partition-seconds and --heal-limit-seconds must be at least 1");
        }
        if (smtpMinDelayMs < 0 || smtpMaxDelayMs < smtpMinDelayMs) {
            throw new IllegalArgumentException("--smtp-min-delay-ms must be >= 0 and <= --smtp-max-delay-ms");
        }
    }

    // ---- Setup --------------------------------------------------------------------------------------------------

    private void populate() {
        SubscriberGenerator generator = new SubscriberGenerator(subscribedRatio, 0);
        long users = SubscriberGenerator.usersFor(recipients, subscribedRatio);
        MongoSubscriberWriter writer = new MongoSubscriberWriter(mongo.database());
        eligibleAddresses = new HashMap<>((int) (recipients * 2));
        eligibleIds = new ArrayList<>((int) recipients);
        long start = System.nanoTime();
        List<Subscriber> batch = new ArrayList<>(5_000);
        for (long id = 1; id <= users; id++) {
            Subscriber s = generator.subscriber(id);
            if (s.subscribed()) {
                if (eligibleAddresses.put(s.email(), id) != null) {
                    throw new IllegalStateException("generated address " + s.email() + " twice");
                }
                eligibleIds.add(s.id());
            }
            batch.add(s);
            if (batch.size() == 5_000 || id == users) {
                writer.insert(batch);
                batch.clear();
            }
        }
        say("populated %,d users (%,d eligible) in %.1f s", users, eligibleIds.size(), seconds(start));
    }

    private void awaitCluster(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ChaosProcesses.Node dead = processes.deadNode();
            List<ChaosProcesses.Node> alive = processes.alive();
            if (dead != null || alive.isEmpty()) {
                throw new IllegalStateException((dead == null ? "no node" : dead.name() + " exited") + "; see "
                        + processes.logDir());
            }
            List<Integer> memberPorts = client.getCluster().getMembers().stream()
                    .map(m -> m.getAddress().getPort()).sorted().toList();
            List<Integer> expected = alive.stream().map(ChaosProcesses.Node::port).sorted().toList();
            if (memberPorts.equals(expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster members " + memberPorts + " are not the live nodes " + expected
                        + " after " + timeout.toSeconds() + " s; see " + processes.logDir());
            }
            Thread.sleep(250);
        }
    }

    // ---- Rounds -------------------------------------------------------------------------------------------------

    private RoundResult round(int number, Kind kind) throws InterruptedException {
        awaitCluster(Duration.ofSeconds(120));
        String id = "chaos-" + number + "-" + kind + "-" + Long.toHexString(System.currentTimeMillis());
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(roundTimeoutSeconds).toNanos();
        Campaign submitted = kind == Kind.planning ? abandonedPlanning(id, deadline) : submitter.submit(campaign(id)).campaign();
        long eligible = eligibleIds.size();
        if (submitted.eligible() != eligible) {
            problems.add("planned " + submitted.eligible() + " eligible, expected " + eligible);
        }
        double fraction = 0.15 + random.nextDouble() * 0.55;
        long at = (long) (fraction * eligible);
        say("round %d %s: campaign %s, %d chunks; disrupting at %d received (%.0f%%)", number, kind, id,
                submitted.chunks(), at, fraction * 100);
        CampaignProgress end = null;
        healedAt = 0;
        long droppedBefore = smtp.droppedAfterDot();
        if (kind == Kind.relaydrop) {
            // From the start: the campaign's first messages are as exposed as its last.
            smtp.dropAfterDot(relayDropShare);
        }
        try {
            if (!awaitReceived(id, at, deadline)) {
                problems.add("campaign ended before the disruption at " + at + " received");
            }
            disrupt(kind, id, problems, notes, deadline);
            end = awaitEnd(id, deadline);
            if (healedAt != 0) {
                double afterHeal = Math.max(0, seconds(healedAt));
                notes.add(String.format(Locale.ROOT, "completed %.1f s after the heal", afterHeal));
                if (afterHeal > healLimitSeconds) {
                    problems.add(String.format(Locale.ROOT, "completed %.1f s after the heal, limit %d s", afterHeal,
                            healLimitSeconds));
                }
                awaitMerge(problems, notes);
            }
        } catch (RuntimeException | TimeoutFailure | IOException e) {
            problems.add(e.getMessage());
        } finally {
            smtp.dropAfterDot(0);
            if (network != null) {
                processes.alive().forEach(n -> network.heal(n.slot()));
            }
        }
        if (kind == Kind.relaydrop) {
            long drops = smtp.droppedAfterDot() - droppedBefore;
            notes.add(drops + " connections dropped after the final dot");
            if (drops == 0) {
                problems.add("the receiver dropped no connection; raise --relay-drop-share or --recipients");
            }
        }
        // Let anything still on the wire arrive before counting (a correct run has nothing left).
        Thread.sleep(1_000);
        double wall = seconds(start);
        if (end == null) {
            end = retry(() -> CampaignProgress.of(campaigns.find(id).orElseThrow(), chunks.load(id), Instant.now()),
                    Duration.ofSeconds(30));
        }
        return verify(number, kind, id, end, wall, problems, notes);
    }

    /** A failure with a message for the round's line. */
    private static final class TimeoutFailure extends Exception {
        TimeoutFailure(String message) {
            super(message);
        }
    }

    private void disrupt(Kind kind, String id, List<String> problems, List<String> notes, long deadline)
            throws InterruptedException, TimeoutFailure, IOException {
        switch (kind) {
            case kill -> {
                ChaosProcesses.Node victim = pickNode();
                long before = smtp.total(id);
                processes.kill(victim);
                say("  SIGKILL %s (pid %d) at %d received", victim.name(), victim.process().pid(), before);
                ChaosProcesses.Node replacement = processes.startNode();
                say("  started %s as replacement", replacement.name());
            }
            case kill2 -> {
                List<ChaosProcesses.Node> alive = new ArrayList<>(processes.alive());
                Collections.shuffle(alive, random);
                long before = smtp.total(id);
                List<ChaosProcesses.Node> victims = alive.subList(0, 2);
                victims.forEach(v -> v.process().destroyForcibly());
                for (ChaosProcesses.Node v : victims) {
                    processes.kill(v);
                }
                say("  SIGKILL %s and %s at %d received", victims.get(0).name(), victims.get(1).name(), before);
                for (int i = 0; i < 2; i++) {
                    say("  started %s as replacement", processes.startNode().name());
                }
            }
            case term -> {
                ChaosProcesses.Node victim = pickNode();
                long before = smtp.total(id);
                long t = System.nanoTime();
                int code = processes.terminate(victim, Duration.ofSeconds(shutdownGraceSeconds + 30));
                say("  SIGTERM %s (pid %d) at %d received: exited %d after %.1f s", victim.name(),
                        victim.process().pid(), before, code, seconds(t));
                if (code == -1) {
                    problems.add(victim.name() + " did not stop within grace + 30 s and was killed");
                }
                ChaosProcesses.Node replacement = processes.startNode();
                say("  started %s as replacement", replacement.name());
            }
            case pause -> pauseAndResume(id, problems, notes, deadline);
            case partition -> partitionAndHeal(id, problems, notes);
            case planning -> say("  its submitter \"died\" while planning; supervision planned it after the lease ran out");
            case relaydrop -> say("  the receiver has been hanging up after the final dot on %.2f%% of messages since "
                    + "the round began", relayDropShare * 100);
            case mongo -> {
                long before = smtp.total(id);
                long t = System.nanoTime();
                int code = mongoSigkill ? processes.killMongo() : processes.stopMongo(Duration.ofSeconds(30));
                say("  %s MongoDB at %d received (exit %d after %.1f s); down for %d s", mongoSigkill ? "SIGKILL" : "SIGTERM",
                        before, code, seconds(t),
                        mongoDowntimeSeconds);
                Thread.sleep(Duration.ofSeconds(mongoDowntimeSeconds));
                processes.restartMongo(Duration.ofSeconds(60));
                say("  MongoDB back on port %d with the same data (%d received so far)", mongoPort, smtp.total(id));
            }
        }
    }

    /**
     * Cuts a random node's Hazelcast traffic, holds the cut while watching the cluster split, heals it. The merge and
     * the campaign's end are awaited by the round. The split is read from the cut node's log (Hazelcast prints its
     * member list on every change): this JVM's client may never notice, when the cut node was the one feeding it
     * the member list.
     */
    private void partitionAndHeal(String id, List<String> problems, List<String> notes)
            throws InterruptedException, IOException {
        ChaosProcesses.Node victim = pickNode();
        long before = smtp.total(id);
        long logFrom = Files.size(victim.log());
        network.cutHazelcast(victim.slot(), basePort, basePort + maxSlots() - 1);
        long t = System.nanoTime();
        say("  cut Hazelcast traffic of %s (%s) at %d received; holding the cut %d s", victim.name(), victim.address(),
                before, partitionSeconds);
        double splitAfter = -1;
        long holdUntil = t + Duration.ofSeconds(partitionSeconds).toNanos();
        while (System.nanoTime() < holdUntil) {
            if (splitAfter < 0 && seesItselfAlone(victim.log(), logFrom)) {
                splitAfter = seconds(t);
            }
            Thread.sleep(200);
        }
        network.heal(victim.slot());
        healedAt = System.nanoTime();
        cutNode = victim;
        cutNodeLogAtHeal = Files.size(victim.log());
        if (splitAfter < 0) {
            problems.add(victim.name() + " never saw itself alone during the cut; raise --partition-seconds");
        } else {
            notes.add(String.format(Locale.ROOT, "split after %.1f s", splitAfter));
        }
        say("  healed the cut of %s at %d received (the cluster split %.1f s after the cut)", victim.name(),
                smtp.total(id), splitAfter);
    }

    private static final Pattern ALONE = Pattern.compile("Members \\{size:1, ");

    /**
     * Until the cut node's log shows it back in a cluster of every live node: until then it is a cluster of its own
     * that shares the store, and its supervisor would take the next round's chunks too (a split brain, which the
     * partition round measures, not the rounds after it).
     */
    private void awaitMerge(List<String> problems, List<String> notes) throws InterruptedException, IOException {
        Pattern merged = Pattern.compile("Members \\{size:" + processes.alive().size() + ", ");
        long deadline = healedAt + Duration.ofSeconds(healLimitSeconds).toNanos();
        while (!logShows(cutNode.log(), cutNodeLogAtHeal, merged)) {
            if (System.nanoTime() > deadline) {
                problems.add(String.format(Locale.ROOT, "%s did not merge back within %d s of the heal", cutNode.name(),
                        healLimitSeconds));
                return;
            }
            Thread.sleep(200);
        }
        notes.add(String.format(Locale.ROOT, "merged %.1f s after the heal", seconds(healedAt)));
    }

    /** Whether the node's log, past {@code from}, shows a member list holding only itself. */
    private static boolean seesItselfAlone(Path log, long from) throws IOException {
        return logShows(log, from, ALONE);
    }

    private static boolean logShows(Path log, long from, Pattern pattern) throws IOException {
        try (var channel = Files.newByteChannel(log)) {
            channel.position(from);
            String tail = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
            return pattern.matcher(tail).find();
        }
    }

    /**
     * What a submit killed mid-planning leaves: the campaign stored, a planning lease held by a planner that never
     * renews it, no chunks. Returns the campaign once supervision has planned it.
     */
    private Campaign abandonedPlanning(String id, long deadline) throws InterruptedException {
        Instant now = Instant.now();
        campaigns.insertIfAbsent(campaign(id));
        Instant until = now.plus(PLANNING_LEASE_LEFT);
        if (!campaigns.holdPlanning(id, "chaos-killed-submit", until, now, until)) {
            throw new IllegalStateException("could not take the planning lease of " + id);
        }
        long t = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Campaign c = campaigns.find(id).orElseThrow();
            if (c.state() != CampaignState.PLANNING) {
                say("  planned by supervision %.1f s after the submitter died (lease %d s)", seconds(t),
                        PLANNING_LEASE_LEFT.toSeconds());
                return c;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("campaign " + id + " still PLANNING at the round's deadline");
    }

    private void pauseAndResume(String id, List<String> problems, List<String> notes, long deadline)
            throws InterruptedException, TimeoutFailure {
        long before = smtp.total(id);
        if (!campaigns.transition(id, CampaignState.PAUSED, "paused by chaos test", Instant.now(), CampaignState.RUNNING)) {
            problems.add("could not pause: campaign is " + campaigns.find(id).map(Campaign::state).orElse(null));
            return;
        }
        long t = System.nanoTime();
        // Every node must hand its chunks back: none OWNED in the store.
        long handBackDeadline = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(30).toNanos());
        int owned;
        while ((owned = ownedChunks(id)) > 0 && System.nanoTime() < handBackDeadline) {
            Thread.sleep(200);
        }
        if (owned > 0) {
            problems.add(owned + " chunks still OWNED 30 s after pause");
        }
        double handBack = seconds(t);
        Thread.sleep(1_000);
        long settled = smtp.total(id);
        Thread.sleep(Duration.ofSeconds(pauseSeconds));
        long later = smtp.total(id);
        say("  paused at %d received; chunks handed back in %.1f s; %d sent while pausing; %d while paused for %d s",
                before, handBack, settled - before, later - settled, pauseSeconds);
        if (later != settled) {
            problems.add((later - settled) + " messages sent while paused");
        }
        if (!campaigns.transition(id, CampaignState.RUNNING, null, Instant.now(), CampaignState.PAUSED)) {
            problems.add("could not resume: campaign is " + campaigns.find(id).map(Campaign::state).orElse(null));
        }
        say("  resumed");
    }

    private int ownedChunks(String id) {
        return (int) chunks.load(id).stream().filter(c -> c.state() == ChunkState.OWNED).count();
    }

    private ChaosProcesses.Node pickNode() {
        List<ChaosProcesses.Node> alive = processes.alive();
        return alive.get(random.nextInt(alive.size()));
    }

    private boolean awaitReceived(String id, long count, long deadline) throws InterruptedException, TimeoutFailure {
        while (smtp.total(id) < count) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutFailure("timed out waiting for " + count + " messages (got " + smtp.total(id) + ")");
            }
            Thread.sleep(10);
            if (smtp.total(id) == 0 || ThreadLocalRandom.current().nextInt(50) == 0) {
                if (campaigns.find(id).map(c -> c.state().isFinal()).orElse(false)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Polls the store until the campaign is final, riding out a MongoDB restart. */
    private CampaignProgress awaitEnd(String id, long deadline) throws InterruptedException, TimeoutFailure {
        while (true) {
            try {
                Campaign c = campaigns.find(id).orElseThrow();
                if (c.state().isFinal()) {
                    return CampaignProgress.of(c, chunks.load(id), Instant.now());
                }
            } catch (RuntimeException e) {
                // MongoDB restarting: try again
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutFailure("campaign not COMPLETED within " + roundTimeoutSeconds + " s ("
                        + smtp.total(id) + " received; chunks: " + chunkSummary(id) + ")");
            }
            Thread.sleep(250);
        }
    }

    private String chunkSummary(String id) {
        try {
            Map<String, Long> byState = new TreeMap<>();
            for (ChunkRecord r : new HazelcastChunkBoard(client).chunksOf(id)) {
                byState.merge("board " + r.state(), 1L, Long::sum);
            }
            for (ChunkRecord r : chunks.load(id)) {
                byState.merge("store " + r.state(), 1L, Long::sum);
            }
            return byState.toString();
        } catch (RuntimeException e) {
            return "unavailable: " + e;
        }
    }

    // ---- Verdict ------------------------------------------------------------------------------------------------

    private RoundResult verify(int number, Kind kind, String id, CampaignProgress end, double wall,
                               List<String> problems, List<String> notes) throws InterruptedException {
        Map<String, Integer> counts = smtp.counts(id);
        long received = 0;
        long missing = 0;
        long duplicates = 0;
        long unexpected = 0;
        List<String> missingSample = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            received += e.getValue();
            if (!eligibleAddresses.containsKey(e.getKey())) {
                unexpected += e.getValue();
            } else {
                duplicates += e.getValue() - 1;
            }
        }
        for (Map.Entry<String, Long> e : eligibleAddresses.entrySet()) {
            if (!counts.containsKey(e.getKey())) {
                missing++;
                if (missingSample.size() < 10) {
                    missingSample.add(e.getValue() + "=" + e.getKey());
                }
            }
        }
        long eligible = eligibleIds.size();
        long uncertain = end.counts().uncertain();
        Map<SubscriberId, Delivery> recorded = retry(() -> recordedDeliveries(id), Duration.ofSeconds(30));
        long recordedCount = recorded.size();
        // Every attempt dropped after the dot spends the retry budget: FAILED, flagged, and (the missing check says)
        // received. That is the policy working, so it is a note; any other outcome than SENT is a problem.
        List<Delivery> spentOnDrops = recorded.values().stream().filter(d -> d.outcome() == Outcome.FAILED
                && d.uncertainCause() == UncertainCause.RELAY_CONNECTION_LOST).toList();
        List<Delivery> notSentList = recorded.values().stream().filter(d -> d.outcome() != Outcome.SENT)
                .filter(d -> !spentOnDrops.contains(d)).toList();
        long notSent = notSentList.size();
        long flaggedUncertain = recorded.values().stream().filter(Delivery::uncertain).count();
        Map<String, Long> byCause = recorded.values().stream().filter(Delivery::uncertain)
                .collect(Collectors.groupingBy(d -> d.uncertainCause().label(), TreeMap::new, Collectors.counting()));
        long unheadered = smtp.total("");
        // Sharper than the totals: each recipient mailed twice must be one whose delivery was recorded as uncertain
        // (reserved and unrecorded when its first owner died, or sent again after a relay connection was lost).
        long unflagged = 0;
        List<String> unflaggedSample = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            Long sid = eligibleAddresses.get(e.getKey());
            if (sid != null && e.getValue() > 1) {
                Delivery d = recorded.get(SubscriberId.of(sid));
                if (d == null || !d.uncertain()) {
                    unflagged++;
                    if (unflaggedSample.size() < 10) {
                        unflaggedSample.add(sid + "x" + e.getValue());
                    }
                }
            }
        }

        if (end.campaign().state() != CampaignState.COMPLETED) {
            problems.add("campaign is " + end.campaign().state());
        }
        if (missing > 0) {
            problems.add(missing + " eligible recipients never received it, e.g. " + missingSample);
        }
        if (unexpected > 0) {
            problems.add(unexpected + " messages to recipients outside the audience");
        }
        if (duplicates > uncertain) {
            problems.add(duplicates + " duplicates exceed the " + uncertain + " uncertain in the status");
        }
        if (unflagged > 0) {
            problems.add(unflagged + " recipients mailed more than once without an uncertain delivery record, e.g. "
                    + unflaggedSample);
        }
        if ((kind == Kind.term || kind == Kind.pause) && duplicates > 0) {
            problems.add(duplicates + " duplicates in a graceful " + kind + " round");
        }
        if (recordedCount != eligible) {
            problems.add(recordedCount + " deliveries recorded for " + eligible + " eligible");
        }
        if (notSent > 0) {
            // The outcome, reason and flag say which fault it was: a retry budget spent on drops, or a real refusal.
            problems.add(notSent + " deliveries recorded as not SENT, e.g. " + notSentList.stream().limit(3)
                    .map(d -> d.subscriberId().key() + " " + d.outcome() + " after " + d.attempts() + " attempts"
                            + (d.uncertain() ? " (uncertain: " + d.uncertainCause().label() + ")" : "") + ": " + d.reason())
                    .toList());
        }
        if (end.counts().finished() != eligible) {
            problems.add("status counts " + end.counts().finished() + " finished of " + eligible + " (sent "
                    + end.counts().sent() + ", failed " + end.counts().failed() + ", chunks done " + end.chunksDone()
                    + "/" + end.campaign().chunks() + ")");
        }
        if (!spentOnDrops.isEmpty()) {
            notes.add(spentOnDrops.size() + " FAILED after every attempt was dropped after the final dot (flagged uncertain)");
        }
        if (unheadered > 0) {
            notes.add(unheadered + " messages without a campaign header");
        }
        if ((kind == Kind.term || kind == Kind.pause) && uncertain > 0) {
            notes.add(uncertain + " uncertain in a graceful round (a hand-back was not clean)");
        }
        if (kind == Kind.mongo && duplicates > 0) {
            notes.add(duplicates + " duplicates although no node died");
        }
        say("  round %d %s: status %s sent=%d failed=%d invalid=%d uncertain=%d; deliveries flagged uncertain=%d %s; "
                        + "received=%d duplicates=%d%s", number, kind, end.campaign().state(), end.counts().sent(),
                end.counts().failed(), end.counts().invalid(), uncertain, flaggedUncertain, byCause, received,
                duplicates, notes.isEmpty() ? "" : "; notes: " + String.join("; ", notes));
        if (!problems.isEmpty()) {
            diagnose(id, counts);
        }
        return new RoundResult(number, kind, id, eligible, received, missing, duplicates, uncertain, recordedCount,
                unexpected, wall, problems, notes);
    }

    /** On failure: the chunks' view in the store and on the board, and which chunks hold the missing or duplicate recipients. */
    private void diagnose(String id, Map<String, Integer> counts) {
        try {
            List<ChunkRecord> stored = chunks.load(id);
            Map<Integer, ChunkRecord> board = new HashMap<>();
            new HazelcastChunkBoard(client).chunksOf(id).forEach(r -> board.put(r.index(), r));
            for (ChunkRecord s : stored) {
                long missing = 0;
                long dups = 0;
                for (Map.Entry<String, Long> e : eligibleAddresses.entrySet()) {
                    long sid = e.getValue();
                    if (s.ids().contains(SubscriberId.of(sid))) {
                        int n = counts.getOrDefault(e.getKey(), 0);
                        missing += n == 0 ? 1 : 0;
                        dups += Math.max(0, n - 1);
                    }
                }
                ChunkRecord b = board.get(s.index());
                if (missing > 0 || dups > s.counts().uncertain() || s.state() != ChunkState.DONE
                        || b == null || b.state() != ChunkState.DONE) {
                    say("  chunk %d %s: store %s epoch %d %s; board %s; received missing=%d duplicates=%d",
                            s.index(), s.ids(), s.state(), s.epoch(), s.counts(),
                            b == null ? "absent" : b.state() + " epoch " + b.epoch() + " " + b.counts(), missing, dups);
                }
            }
        } catch (RuntimeException e) {
            say("  (no chunk diagnosis: %s)", e);
        }
    }

    private Map<SubscriberId, Delivery> recordedDeliveries(String id) {
        Map<SubscriberId, Delivery> all = new HashMap<>();
        for (int from = 0; from < eligibleIds.size(); from += 5_000) {
            all.putAll(deliveries.recorded(id, eligibleIds.subList(from, Math.min(eligibleIds.size(), from + 5_000))));
        }
        return all;
    }

    private static <T> T retry(Supplier<T> read, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return read.get();
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    // ---- Helpers ------------------------------------------------------------------------------------------------

    private Campaign campaign(String id) {
        return new Campaign(id, "{{name}}, chaos round", "Mailcast Chaos <chaos@mailcast.example>", null,
                resource("demo/newsletter.txt.mustache", "Hello {{name}},\n\nthis is campaign " + id + ".\n"),
                resource("demo/newsletter.html.mustache", null),
                Audience.SUBSCRIBED, chunkSize, CampaignState.PLANNING, null, 0, 0, Instant.now(), null, null);
    }

    private static String resource(String name, String fallback) {
        try (InputStream in = ChaosCommand.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? fallback : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fallback;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void say(String format, Object... args) {
        err.printf(Locale.ROOT, LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + format + "%n", args);
        err.flush();
    }
}
