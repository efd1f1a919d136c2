package io.mailcast.cluster;

import java.util.List;
import java.util.Objects;

/**
 * How a node or client finds the cluster.
 *
 * @param members               TCP-IP member list ({@code host[:port]}); ignored when Kubernetes discovery is on
 * @param port                  member port (first one tried; Hazelcast auto-increments when busy)
 * @param publicAddress         address announced to other members ({@code host[:port]}) behind NAT or in containers, or
 *                              {@code null}
 * @param kubernetesServiceDns  headless service for Kubernetes DNS discovery, or {@code null}
 * @param bindInterface         interface/address to bind and announce when several exist, or {@code null}
 * @param minClusterSize        split-brain protection: below this many members, chunk operations are refused and no
 *                              one supervises (set it to a majority, e.g. 2 of 3); 1 turns protection off
 */
public record ClusterConfig(String clusterName, List<String> members, int port, String publicAddress,
                            String kubernetesServiceDns, String bindInterface, int minClusterSize) {

    public static final String DEFAULT_CLUSTER_NAME = "mailcast";
    public static final int DEFAULT_PORT = 5701;

    public ClusterConfig {
        Objects.requireNonNull(clusterName, "clusterName");
        if (clusterName.isBlank()) {
            throw new IllegalArgumentException("--cluster-name must not be blank");
        }
        members = members == null ? List.of() : members.stream().map(String::strip).filter(m -> !m.isEmpty()).toList();
        for (String m : members) {
            if (!m.matches("[\\w.\\-\\[\\]:]+")) {
                throw new IllegalArgumentException("--members entry '" + m + "' is not host[:port]; "
                        + "use a comma-separated list such as 10.0.0.1:5701,10.0.0.2:5701");
            }
        }
        if (minClusterSize < 1) {
            throw new IllegalArgumentException("--min-cluster-size must be at least 1 (1 = no split-brain protection), got " + minClusterSize);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 1 and 65535, got " + port);
        }
    }

    public static ClusterConfig local(String clusterName, List<String> members) {
        return new ClusterConfig(clusterName, members, DEFAULT_PORT, null, null, null, 1);
    }

    /** Parses a comma-separated member list. */
    public static List<String> parseMembers(String list) {
        return list == null || list.isBlank() ? List.of() : List.of(list.split(","));
    }
}
