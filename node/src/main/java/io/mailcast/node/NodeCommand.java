package io.mailcast.node;

import io.mailcast.bounce.BounceSigner;
import io.mailcast.bounce.SoftBouncePolicy;
import io.mailcast.bounce.VerpAddresses;
import io.mailcast.cli.CompletionCommand;
import io.mailcast.cli.ValidatorOptions;
import io.mailcast.cli.VersionInfo;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.engine.DeliveryTuning;
import io.mailcast.engine.FailurePolicy;
import io.mailcast.engine.ReactionPolicy;
import io.mailcast.http.SendApiConfig;
import io.mailcast.inbound.BounceListenerConfig;
import io.mailcast.sender.relay.DomainLimit;
import io.mailcast.sender.relay.RelayConfig;
import io.mailcast.sender.smtp.SmtpConfig;
import io.mailcast.sender.smtp.TlsMode;
import io.mailcast.store.MongoConnection;
import io.mailcast.store.MongoSubscriberSource;
import io.mailcast.subscriber.SubscriberSource;
import io.mailcast.suppression.SignedFields;
import io.mailcast.suppression.SignedUnsubscribeLinks;
import io.mailcast.suppression.UnsubscribeSigner;
import io.mailcast.time.Sleeper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/** {@code bin/node}: starts a cluster member that claims chunks and sends. Every option has an environment variable. */
@Command(name = "node", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = VersionInfo.class, subcommands = CompletionCommand.class,
        description = "Starts a Mailcast node: a Hazelcast member that claims chunks of campaigns and sends them.",
        footer = "%nEvery option can also be set with the environment variable shown in brackets.")
public final class NodeCommand implements Callable<Integer> {

    private static final int DEFAULT_VALIDATION_CONCURRENCY = 1_000;

    private final Function<MongoConnection, SubscriberSource> subscribers;

    public NodeCommand() {
        this(MongoSubscriberSource::new);
    }

    /** A node reading subscribers through {@code subscribers} (the lab passes its embedded-server fast path). */
    public NodeCommand(Function<MongoConnection, SubscriberSource> subscribers) {
        this.subscribers = subscribers;
    }

    @Option(names = "--cluster-name", defaultValue = "${env:MAILCAST_CLUSTER_NAME:-mailcast}",
            description = "Hazelcast cluster name [MAILCAST_CLUSTER_NAME] (default: ${DEFAULT-VALUE})")
    String clusterName;

    @Option(names = "--members", defaultValue = "${env:MAILCAST_MEMBERS:-127.0.0.1}",
            description = "Members to join over TCP-IP, host[:port],... [MAILCAST_MEMBERS] (default: ${DEFAULT-VALUE})")
    String members;

    @Option(names = "--port", defaultValue = "${env:MAILCAST_PORT:-5701}",
            description = "Member port; the next free one is used when taken [MAILCAST_PORT] (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--public-address", defaultValue = "${env:MAILCAST_PUBLIC_ADDRESS}",
            description = "Address announced to other members, host[:port], behind NAT or in containers [MAILCAST_PUBLIC_ADDRESS]")
    String publicAddress;

    @Option(names = "--interface", defaultValue = "${env:MAILCAST_INTERFACE}",
            description = "Local address to bind and announce when the host has several [MAILCAST_INTERFACE]")
    String bindInterface;

    @Option(names = "--kubernetes-service-dns", defaultValue = "${env:MAILCAST_K8S_SERVICE_DNS}",
            description = "Join via Kubernetes DNS discovery on this headless service instead of --members [MAILCAST_K8S_SERVICE_DNS]")
    String kubernetesServiceDns;

    @Option(names = "--min-cluster-size", defaultValue = "${env:MAILCAST_MIN_CLUSTER_SIZE:-1}",
            description = "Split-brain protection: with fewer members, stop claiming and supervising; set a majority, "
                    + "e.g. 2 for 3 nodes; 1 = off [MAILCAST_MIN_CLUSTER_SIZE] (default: ${DEFAULT-VALUE})")
    int minClusterSize;

    @Option(names = "--mongo-uri", defaultValue = "${env:MAILCAST_MONGO_URI:-mongodb://localhost:27017/mailcast}",
            description = "MongoDB connection string [MAILCAST_MONGO_URI] (default: ${DEFAULT-VALUE})")
    String mongoUri;

    @Option(names = "--mongo-uri-file", defaultValue = "${env:MAILCAST_MONGO_URI_FILE}",
            description = "File holding the MongoDB connection string (for credentials from a mounted secret) [MAILCAST_MONGO_URI_FILE]")
    Path mongoUriFile;

    // No default: a node that fell back to the simulator would record a real campaign as SENT without mailing anyone.
    @Option(names = "--sender", defaultValue = "${env:MAILCAST_SENDER}",
            description = "Required: smtp (one relay), relays (--relays-file) or simulated (sends nothing) [MAILCAST_SENDER]")
    SenderKind sender;

    @Option(names = "--relays-file", defaultValue = "${env:MAILCAST_RELAYS_FILE}",
            description = "JSON file of several relays with weights, rates and quotas, for --sender relays [MAILCAST_RELAYS_FILE]")
    Path relaysFile;

    @Option(names = "--concurrency", defaultValue = "${env:MAILCAST_CONCURRENCY:-1000}",
            description = "Sends in flight on this node [MAILCAST_CONCURRENCY] (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--latency-ms", defaultValue = "${env:MAILCAST_LATENCY_MS:-500}",
            description = "Simulated sender: wait per message [MAILCAST_LATENCY_MS] (default: ${DEFAULT-VALUE})")
    long latencyMs;

    @Option(names = "--failure-rate", defaultValue = "${env:MAILCAST_FAILURE_RATE:-0}",
            description = "Simulated sender: share of transient failures, 0..1 [MAILCAST_FAILURE_RATE] (default: ${DEFAULT-VALUE})")
    double failureRate;

    @Option(names = "--smtp-host", defaultValue = "${env:MAILCAST_SMTP_HOST:-localhost}",
            description = "SMTP relay host [MAILCAST_SMTP_HOST] (default: ${DEFAULT-VALUE})")
    String smtpHost;

    @Option(names = "--smtp-port", defaultValue = "${env:MAILCAST_SMTP_PORT:-25}",
            description = "SMTP relay port [MAILCAST_SMTP_PORT] (default: ${DEFAULT-VALUE})")
    int smtpPort;

    @Option(names = "--smtp-tls", defaultValue = "${env:MAILCAST_SMTP_TLS:-none}",
            description = "none, starttls or tls [MAILCAST_SMTP_TLS] (default: ${DEFAULT-VALUE})")
    String smtpTls;

    @Option(names = "--smtp-user", defaultValue = "${env:MAILCAST_SMTP_USER}",
            description = "SMTP AUTH user; the password comes from MAILCAST_SMTP_PASSWORD or --smtp-password-file [MAILCAST_SMTP_USER]")
    String smtpUser;

    @Option(names = "--smtp-password-file", defaultValue = "${env:MAILCAST_SMTP_PASSWORD_FILE}",
            description = "File holding the SMTP password [MAILCAST_SMTP_PASSWORD_FILE]")
    Path smtpPasswordFile;

    @Option(names = "--smtp-pool", defaultValue = "${env:MAILCAST_SMTP_POOL:-8}",
            description = "SMTP connections kept open by this node [MAILCAST_SMTP_POOL] (default: ${DEFAULT-VALUE})")
    int smtpPool;

    @Option(names = "--smtp-rate", defaultValue = "${env:MAILCAST_SMTP_RATE:-0}",
            description = "--sender smtp: messages per second for the whole cluster, each node taking its share; "
                    + "0 = no limit; `coordinator relay set-rate smtp N` changes it live [MAILCAST_SMTP_RATE] (default: ${DEFAULT-VALUE})")
    double smtpRate;

    @Option(names = "--smtp-per-hour", defaultValue = "${env:MAILCAST_SMTP_PER_HOUR:-0}",
            description = "--sender smtp: messages per UTC hour for the whole cluster, 0 = no quota [MAILCAST_SMTP_PER_HOUR] (default: ${DEFAULT-VALUE})")
    long smtpPerHour;

    @Option(names = "--smtp-per-day", defaultValue = "${env:MAILCAST_SMTP_PER_DAY:-0}",
            description = "--sender smtp: messages per UTC day for the whole cluster, 0 = no quota [MAILCAST_SMTP_PER_DAY] (default: ${DEFAULT-VALUE})")
    long smtpPerDay;

    @Option(names = "--smtp-cool-down-seconds", defaultValue = "${env:MAILCAST_SMTP_COOL_DOWN_SECONDS:-30}",
            description = "--sender smtp: how long the relay rests after it refused connections or failed 5 times in a "
                    + "row; sends wait meanwhile [MAILCAST_SMTP_COOL_DOWN_SECONDS] (default: ${DEFAULT-VALUE})")
    long smtpCoolDownSeconds;

    @Option(names = "--domain-rates", defaultValue = "${env:MAILCAST_DOMAIN_RATES}", paramLabel = "DOMAIN=N,...",
            description = "Cluster-wide messages per second per recipient domain, e.g. gmail.com=10,yahoo.com=5, whichever "
                    + "relay carries them; seeds the cluster's limits where a domain has none yet (`coordinator relay "
                    + "set-domain-rate` changes them live) [MAILCAST_DOMAIN_RATES]")
    String domainRates;

    @Option(names = "--public-url", defaultValue = "${env:MAILCAST_PUBLIC_URL}",
            description = "Where recipients reach the nodes' HTTP port, e.g. https://mail.example.com; turns on "
                    + "one-click unsubscribe links ({{unsubscribeUrl}}, List-Unsubscribe) served at /unsubscribe "
                    + "[MAILCAST_PUBLIC_URL]")
    String publicUrl;

    @Option(names = "--unsubscribe-mailto", defaultValue = "${env:MAILCAST_UNSUBSCRIBE_MAILTO}",
            description = "Address for mailto unsubscribe links [MAILCAST_UNSUBSCRIBE_MAILTO]")
    String unsubscribeMailto;

    @Option(names = "--unsubscribe-secret-file", defaultValue = "${env:MAILCAST_UNSUBSCRIBE_SECRET_FILE}",
            description = "File with the HMAC secret signing unsubscribe links, the same on every node (or env "
                    + "MAILCAST_UNSUBSCRIBE_SECRET) [MAILCAST_UNSUBSCRIBE_SECRET_FILE]")
    Path unsubscribeSecretFile;

    @Option(names = "--bounce-domain", defaultValue = "${env:MAILCAST_BOUNCE_DOMAIN}",
            description = "Domain whose MX points at the nodes, e.g. bounce.example.com; turns on VERP: each campaign "
                    + "message's envelope sender is bounces+<signed token>@ this domain (signed with the unsubscribe "
                    + "secret); unset, bounces go to the From address [MAILCAST_BOUNCE_DOMAIN]")
    String bounceDomain;

    @Option(names = "--bounce-port", defaultValue = "${env:MAILCAST_BOUNCE_PORT:-0}",
            description = "Port of the inbound SMTP listener taking DSNs and ARF complaints for --bounce-domain; "
                    + "0 = off [MAILCAST_BOUNCE_PORT] (default: ${DEFAULT-VALUE})")
    int bouncePort;

    @Option(names = "--soft-bounce-limit", defaultValue = "${env:MAILCAST_SOFT_BOUNCE_LIMIT:-3}",
            description = "Soft bounces (4.x.x) of an address within --soft-bounce-window-days that suppress it "
                    + "[MAILCAST_SOFT_BOUNCE_LIMIT] (default: ${DEFAULT-VALUE})")
    int softBounceLimit;

    @Option(names = "--soft-bounce-window-days", defaultValue = "${env:MAILCAST_SOFT_BOUNCE_WINDOW_DAYS:-7}",
            description = "How far back soft bounces count, at most 90 [MAILCAST_SOFT_BOUNCE_WINDOW_DAYS] (default: ${DEFAULT-VALUE})")
    int softBounceWindowDays;

    @Option(names = "--max-failure-rate", defaultValue = "${env:MAILCAST_MAX_FAILURE_RATE:-0.25}",
            description = "A campaign pauses itself when more than this share of sends fail (after 200) [MAILCAST_MAX_FAILURE_RATE] (default: ${DEFAULT-VALUE})")
    double maxFailureRate;

    @Option(names = "--max-complaint-rate", defaultValue = "${env:MAILCAST_MAX_COMPLAINT_RATE:-0.003}",
            description = "A campaign pauses itself when more than this share of its sent messages are reported as spam "
                    + "(after 1,000 sent; same on every node) [MAILCAST_MAX_COMPLAINT_RATE] (default: ${DEFAULT-VALUE})")
    double maxComplaintRate;

    @Option(names = "--max-hard-bounce-rate", defaultValue = "${env:MAILCAST_MAX_HARD_BOUNCE_RATE:-0.05}",
            description = "A campaign pauses itself when more than this share of its sent messages bounce for good "
                    + "(after 1,000 sent; same on every node) [MAILCAST_MAX_HARD_BOUNCE_RATE] (default: ${DEFAULT-VALUE})")
    double maxHardBounceRate;

    @Option(names = "--http-port", defaultValue = "${env:MAILCAST_HTTP_PORT:-8080}",
            description = "Port of /health/live, /health/ready and /metrics; 0 = off [MAILCAST_HTTP_PORT] (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--api-port", defaultValue = "${env:MAILCAST_API_PORT:-0}",
            description = "Port of the send API (POST /v1/messages, see /v1/openapi.yaml); 0 = off. Every node sends "
                    + "accepted messages either way [MAILCAST_API_PORT] (default: ${DEFAULT-VALUE})")
    int apiPort;

    @Option(names = "--lease-seconds", defaultValue = "${env:MAILCAST_LEASE_SECONDS:-30}",
            description = "Lease of a chunk or a send-API message being sent; renewed every third of it; a dead node's "
                    + "work is taken over when it runs out [MAILCAST_LEASE_SECONDS] (default: ${DEFAULT-VALUE})")
    long leaseSeconds;

    @Mixin
    ValidatorOptions validatorOptions = new ValidatorOptions();

    @Option(names = "--validation-concurrency", defaultValue = "${env:MAILCAST_VALIDATION_CONCURRENCY}",
            description = "Paid address checks in flight on this node, with --validator [MAILCAST_VALIDATION_CONCURRENCY] "
                    + "(default: " + DEFAULT_VALIDATION_CONCURRENCY + ")")
    Integer validationConcurrency;

    @Option(names = "--validation-cluster-concurrency", defaultValue = "${env:MAILCAST_VALIDATION_CLUSTER_CONCURRENCY}",
            description = "Paid address checks in flight in the whole cluster, each validating node taking an equal "
                    + "share; the same on every node [MAILCAST_VALIDATION_CLUSTER_CONCURRENCY] (default: no limit)")
    Integer validationClusterConcurrency;

    @Option(names = "--shutdown-grace-seconds", defaultValue = "${env:MAILCAST_SHUTDOWN_GRACE_SECONDS:-20}",
            description = "On SIGTERM: time to finish in-flight sends and hand chunks back [MAILCAST_SHUTDOWN_GRACE_SECONDS] (default: ${DEFAULT-VALUE})")
    long shutdownGraceSeconds;

    enum SenderKind { simulated, smtp, relays }

    /** Builds and validates the configuration; throws IllegalArgumentException with a message a user can act on. */
    NodeConfig config(Map<String, String> env) {
        if (sender == null) {
            throw new IllegalArgumentException("no sender chosen: give --sender smtp, relays or simulated (or set "
                    + "MAILCAST_SENDER); simulated sends nothing and records everyone as SENT");
        }
        String uri = mongoUri;
        if (mongoUriFile != null) {
            uri = Secrets.readFile(mongoUriFile, "--mongo-uri-file");
        }
        SenderSettings senderSettings = switch (sender) {
            case simulated -> {
                if (latencyMs < 0) {
                    throw new IllegalArgumentException("--latency-ms must not be negative, got " + latencyMs);
                }
                yield new SenderSettings.Simulated(Duration.ofMillis(latencyMs), failureRate);
            }
            case smtp -> smtpSettings(env);
            case relays -> {
                if (relaysFile == null) {
                    throw new IllegalArgumentException("--sender relays needs --relays-file (or MAILCAST_RELAYS_FILE)");
                }
                yield new SenderSettings.Relays(RelaysFile.load(relaysFile, env));
            }
        };
        if (relaysFile != null && sender != SenderKind.relays) {
            throw new IllegalArgumentException("--relays-file is only read with --sender relays (or MAILCAST_SENDER=relays)");
        }
        ClusterConfig cluster = new ClusterConfig(clusterName, ClusterConfig.parseMembers(members), port, publicAddress,
                kubernetesServiceDns, bindInterface, minClusterSize);
        return new NodeConfig(cluster, uri, senderSettings, DeliveryTuning.defaults(concurrency, Duration.ofSeconds(leaseSeconds)),
                httpPort, Duration.ofSeconds(shutdownGraceSeconds), Duration.ofSeconds(2), unsubscribeLinks(env),
                new FailurePolicy(maxFailureRate, FailurePolicy.DEFAULT.minSample()),
                apiPort == 0 ? null : SendApiConfig.onPort(apiPort), bounces(env),
                new ReactionPolicy(maxHardBounceRate, maxComplaintRate, ReactionPolicy.DEFAULT.minSample()),
                domainLimits(), validation());
    }

    /** Validation jobs run only on a node given {@code --validator}: a default would pay, or pretend to, unasked. */
    private ValidationSettings validation() {
        if (!validatorOptions.chosen()) {
            if (validationConcurrency != null || validationClusterConcurrency != null) {
                throw new IllegalArgumentException("--validation-concurrency and --validation-cluster-concurrency "
                        + "need --validator simulated|http: the node runs validation jobs only with a validator");
            }
            return null;
        }
        return new ValidationSettings(validatorOptions.validator(Sleeper.SYSTEM),
                validatorOptions.policy(validatorOptions.longestCall()),
                validationConcurrency == null ? DEFAULT_VALIDATION_CONCURRENCY : validationConcurrency,
                validationClusterConcurrency == null ? Integer.MAX_VALUE : validationClusterConcurrency);
    }

    private BounceSettings bounces(Map<String, String> env) {
        if (bounceDomain == null || bounceDomain.isBlank()) {
            if (bouncePort != 0) {
                throw new IllegalArgumentException("--bounce-port needs --bounce-domain (or MAILCAST_BOUNCE_DOMAIN): "
                        + "the listener takes mail for that domain only");
            }
            return null;
        }
        String secret = requiredSigningSecret(env, "--bounce-domain", "VERP addresses");
        try {
            VerpAddresses verp = new VerpAddresses(bounceDomain, new BounceSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return new BounceSettings(verp, bouncePort == 0 ? null : BounceListenerConfig.onPort(bouncePort),
                    new SoftBouncePolicy(softBounceLimit, Duration.ofDays(softBounceWindowDays)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--bounce-domain / --bounce-port: " + e.getMessage(), e);
        }
    }

    /** The HMAC secret unsubscribe links and VERP addresses are signed with; refuses {@code option} without one. */
    private String requiredSigningSecret(Map<String, String> env, String option, String signed) {
        String secret = unsubscribeSecretFile != null
                ? Secrets.readFile(unsubscribeSecretFile, "--unsubscribe-secret-file")
                : env.get("MAILCAST_UNSUBSCRIBE_SECRET");
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(option + " needs a secret to sign " + signed + ": set "
                    + "MAILCAST_UNSUBSCRIBE_SECRET or --unsubscribe-secret-file (at least "
                    + SignedFields.MIN_SECRET_BYTES + " bytes, the same on every node)");
        }
        return secret;
    }

    private SignedUnsubscribeLinks unsubscribeLinks(Map<String, String> env) {
        if (publicUrl == null || publicUrl.isBlank()) {
            boolean secretForBounces = bounceDomain != null && !bounceDomain.isBlank();
            if (unsubscribeMailto != null || (unsubscribeSecretFile != null && !secretForBounces)) {
                throw new IllegalArgumentException("--unsubscribe-mailto and --unsubscribe-secret-file need --public-url "
                        + "(or MAILCAST_PUBLIC_URL): the one-click link is what they go with");
            }
            return null;
        }
        String signingKey = requiredSigningSecret(env, "--public-url", "unsubscribe links");
        try {
            return new SignedUnsubscribeLinks(publicUrl, unsubscribeMailto,
                    new UnsubscribeSigner(signingKey.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--public-url / --unsubscribe-mailto: " + e.getMessage(), e);
        }
    }

    private List<DomainLimit> domainLimits() {
        try {
            return DomainLimit.parseList(domainRates);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--domain-rates: " + e.getMessage(), e);
        }
    }

    private SenderSettings.Smtp smtpSettings(Map<String, String> env) {
        SmtpConfig smtp = smtpConfig(env);
        try {
            RelayConfig.checkRate(smtp.name(), smtpRate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--smtp-rate: " + e.getMessage(), e);
        }
        if (smtpPerHour < 0 || smtpPerDay < 0) {
            throw new IllegalArgumentException("--smtp-per-hour and --smtp-per-day must not be negative (0 = no quota)");
        }
        if (smtpCoolDownSeconds < 1) {
            throw new IllegalArgumentException("--smtp-cool-down-seconds must be at least 1, got " + smtpCoolDownSeconds);
        }
        return new SenderSettings.Smtp(smtp, smtpRate, smtpPerHour, smtpPerDay, Duration.ofSeconds(smtpCoolDownSeconds));
    }

    private SmtpConfig smtpConfig(Map<String, String> env) {
        TlsMode tls;
        try {
            tls = TlsMode.valueOf(smtpTls.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--smtp-tls must be none, starttls or tls, got '" + smtpTls + "'");
        }
        String smtpPassword = SmtpConfig.passwordFrom(env, smtpPasswordFile).orElse(null);
        if (smtpUser != null && !smtpUser.isBlank() && smtpPassword == null) {
            throw new IllegalArgumentException("--smtp-user is set but no password: set " + SmtpConfig.PASSWORD_ENV
                    + " or --smtp-password-file");
        }
        return SmtpConfig.of(smtpHost, smtpPort).withTls(tls).withCredentials(smtpUser, smtpPassword).withPoolSize(smtpPool);
    }

    @Override
    public Integer call() throws InterruptedException {
        NodeConfig config = config(System.getenv());
        MailcastNode node = MailcastNode.start(config, subscribers);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.stop();
            stopped.countDown();
        }, "graceful-stop"));
        stopped.await();
        return 0;
    }
}
