package io.mailcast.node;

import io.mailcast.cluster.ClusterConfig;
import io.mailcast.engine.DeliveryTuning;
import io.mailcast.engine.FailurePolicy;
import io.mailcast.engine.ReactionPolicy;
import io.mailcast.http.SendApiConfig;
import io.mailcast.store.MongoConnection;
import io.mailcast.suppression.SignedUnsubscribeLinks;
import io.mailcast.suppression.UnsubscribeLinks;

import io.mailcast.sender.relay.DomainLimit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything a node needs, validated once at start-up and logged (secrets masked).
 *
 * @param httpPort       port for /health/live, /health/ready, /metrics and /unsubscribe; 0 disables it
 * @param shutdownGrace  time a stopping node has to let in-flight sends finish and hand its chunks back
 * @param sweepInterval  how often the supervising node looks for orphaned chunks and finished campaigns
 * @param unsubscribe    the one-click unsubscribe links put in every message and served on the HTTP port, or
 *                       {@code null} for none
 * @param failurePolicy  when a campaign pauses itself because too many sends fail
 * @param sendApi        the send API's listener and limits, {@code null} when this node serves no send API (it still
 *                       sends messages other nodes accepted)
 * @param bounces        VERP envelope senders and the bounce listener, {@code null} for none (bounces go to From)
 * @param domainLimits   cluster-wide send rates per recipient domain this node seeds when the cluster has none yet
 * @param validation     how this node runs validation jobs, {@code null} when it runs none
 */
public record NodeConfig(
        ClusterConfig cluster,
        String mongoUri,
        SenderSettings sender,
        DeliveryTuning tuning,
        int httpPort,
        Duration shutdownGrace,
        Duration sweepInterval,
        SignedUnsubscribeLinks unsubscribe,
        FailurePolicy failurePolicy,
        SendApiConfig sendApi,
        BounceSettings bounces,
        ReactionPolicy reactionPolicy,
        List<DomainLimit> domainLimits,
        ValidationSettings validation) {

    public NodeConfig {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(mongoUri, "mongoUri");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(tuning, "tuning");
        Objects.requireNonNull(failurePolicy, "failurePolicy");
        Objects.requireNonNull(reactionPolicy, "reactionPolicy");
        domainLimits = List.copyOf(domainLimits);
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("--http-port must be between 0 (off) and 65535, got " + httpPort);
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("--shutdown-grace-seconds must not be negative");
        }
        if (sweepInterval.toMillis() < 100) {
            throw new IllegalArgumentException("sweep interval must be at least 100 ms");
        }
        if (unsubscribe != null && httpPort == 0) {
            throw new IllegalArgumentException("--public-url needs --http-port: the nodes serve the unsubscribe links "
                    + "on it, and a link nobody answers must not go out");
        }
    }

    /** A node that runs no validation jobs. */
    public NodeConfig(ClusterConfig cluster, String mongoUri, SenderSettings sender, DeliveryTuning tuning, int httpPort,
                      Duration shutdownGrace, Duration sweepInterval, SignedUnsubscribeLinks unsubscribe,
                      FailurePolicy failurePolicy, SendApiConfig sendApi, BounceSettings bounces,
                      ReactionPolicy reactionPolicy, List<DomainLimit> domainLimits) {
        this(cluster, mongoUri, sender, tuning, httpPort, shutdownGrace, sweepInterval, unsubscribe, failurePolicy,
                sendApi, bounces, reactionPolicy, domainLimits, null);
    }

    /** The same node running validation jobs as {@code settings} say. */
    public NodeConfig withValidation(ValidationSettings settings) {
        return new NodeConfig(cluster, mongoUri, sender, tuning, httpPort, shutdownGrace, sweepInterval, unsubscribe,
                failurePolicy, sendApi, bounces, reactionPolicy, domainLimits, settings);
    }

    /** A node with no limits per recipient domain. */
    public NodeConfig(ClusterConfig cluster, String mongoUri, SenderSettings sender, DeliveryTuning tuning, int httpPort,
                      Duration shutdownGrace, Duration sweepInterval, SignedUnsubscribeLinks unsubscribe,
                      FailurePolicy failurePolicy, SendApiConfig sendApi, BounceSettings bounces,
                      ReactionPolicy reactionPolicy) {
        this(cluster, mongoUri, sender, tuning, httpPort, shutdownGrace, sweepInterval, unsubscribe, failurePolicy,
                sendApi, bounces, reactionPolicy, List.of());
    }

    /** A node pausing campaigns at the default complaint and hard-bounce rates. */
    public NodeConfig(ClusterConfig cluster, String mongoUri, SenderSettings sender, DeliveryTuning tuning, int httpPort,
                      Duration shutdownGrace, Duration sweepInterval, SignedUnsubscribeLinks unsubscribe,
                      FailurePolicy failurePolicy, SendApiConfig sendApi, BounceSettings bounces) {
        this(cluster, mongoUri, sender, tuning, httpPort, shutdownGrace, sweepInterval, unsubscribe, failurePolicy,
                sendApi, bounces, ReactionPolicy.DEFAULT);
    }

    /** A node without bounce handling. */
    public NodeConfig(ClusterConfig cluster, String mongoUri, SenderSettings sender, DeliveryTuning tuning, int httpPort,
                      Duration shutdownGrace, Duration sweepInterval, SignedUnsubscribeLinks unsubscribe,
                      FailurePolicy failurePolicy, SendApiConfig sendApi) {
        this(cluster, mongoUri, sender, tuning, httpPort, shutdownGrace, sweepInterval, unsubscribe, failurePolicy,
                sendApi, null);
    }

    /** A node without a send API of its own. */
    public NodeConfig(ClusterConfig cluster, String mongoUri, SenderSettings sender, DeliveryTuning tuning, int httpPort,
                      Duration shutdownGrace, Duration sweepInterval, SignedUnsubscribeLinks unsubscribe,
                      FailurePolicy failurePolicy) {
        this(cluster, mongoUri, sender, tuning, httpPort, shutdownGrace, sweepInterval, unsubscribe, failurePolicy, null);
    }

    public UnsubscribeLinks unsubscribeLinks() {
        return unsubscribe == null ? UnsubscribeLinks.NONE : unsubscribe;
    }

    /** One line for the start-up log; the Mongo URI without credentials. */
    public String describe() {
        return "cluster=" + cluster.clusterName() + " members=" + cluster.members() + " port=" + cluster.port()
                + (cluster.kubernetesServiceDns() != null ? " k8s-dns=" + cluster.kubernetesServiceDns() : "")
                + " mongo=" + MongoConnection.redact(mongoUri)
                + " sender=" + sender.describe() + " concurrency=" + tuning.concurrency()
                + " unsubscribe-links=" + (unsubscribe != null ? "on" : "off") + " lease=" + tuning.lease().toSeconds() + "s grace=" + shutdownGrace.toSeconds() + "s http=" + httpPort
                + " send-api=" + (sendApi == null ? "off" : sendApi.port())
                + " bounces=" + (bounces == null ? "off" : bounces.describe())
                + " validation=" + (validation == null ? "off" : validation.describe())
                + (domainLimits.isEmpty() ? "" : " domain-limits=" + domainLimits.stream()
                        .map(l -> l.domain() + "=" + l.messagesPerSecond() + "/s").collect(Collectors.joining(",")));
    }
}
