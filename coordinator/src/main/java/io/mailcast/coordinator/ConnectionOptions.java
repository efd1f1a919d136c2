package io.mailcast.coordinator;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import io.mailcast.cluster.ClusterConfig;
import io.mailcast.cluster.HazelcastConfigs;
import io.mailcast.store.MongoConnection;
import picocli.CommandLine.Option;

import java.time.Duration;

/** Options of commands that talk to the cluster or to MongoDB; each has an environment variable. */
public final class ConnectionOptions {

    @Option(names = "--cluster-name", defaultValue = "${env:MAILCAST_CLUSTER_NAME:-mailcast}",
            description = "Hazelcast cluster name [MAILCAST_CLUSTER_NAME] (default: ${DEFAULT-VALUE})")
    String clusterName;

    @Option(names = "--members", defaultValue = "${env:MAILCAST_MEMBERS:-127.0.0.1:5701}",
            description = "Cluster members to connect to, host[:port],... [MAILCAST_MEMBERS] (default: ${DEFAULT-VALUE})")
    String members;

    @Option(names = "--mongo-uri", defaultValue = "${env:MAILCAST_MONGO_URI:-mongodb://localhost:27017/mailcast}",
            description = "MongoDB connection string [MAILCAST_MONGO_URI] (default: ${DEFAULT-VALUE})")
    String mongoUri;

    @Option(names = "--connect-timeout-seconds", defaultValue = "${env:MAILCAST_CONNECT_TIMEOUT_SECONDS:-10}",
            description = "How long to wait for the cluster and MongoDB [MAILCAST_CONNECT_TIMEOUT_SECONDS] (default: ${DEFAULT-VALUE})")
    long connectTimeoutSeconds;

    public MongoConnection mongo() {
        return MongoConnection.open(mongoUri, Duration.ofSeconds(connectTimeoutSeconds));
    }

    /** A Hazelcast client; throws a clear error when no member answers within the timeout. */
    HazelcastInstance cluster() {
        ClusterConfig cluster = ClusterConfig.local(clusterName, ClusterConfig.parseMembers(members));
        try {
            return HazelcastClient.newHazelcastClient(
                    HazelcastConfigs.client(cluster, Duration.ofSeconds(connectTimeoutSeconds)));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cluster '" + clusterName + "' at " + members + " did not answer within "
                    + connectTimeoutSeconds + " s", e);
        }
    }
}
