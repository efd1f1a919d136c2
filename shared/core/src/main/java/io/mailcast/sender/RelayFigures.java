package io.mailcast.sender;

/**
 * One relay as seen by one node, for the node's metrics.
 *
 * @param relay       relay name
 * @param down        marked down now (cluster-wide when relay health is shared)
 * @param rateFactor  share of the relay's configured rate allowed now, in (0, 1]; below 1 after throttling replies
 * @param sent        messages this node got accepted by the relay
 * @param failed      attempts on this relay that did not end in acceptance (refusals, timeouts, no connection)
 * @param markedDown  times this node took the relay from up to down (an outage that many sends noticed at once
 *                    counts once, in the cluster, on the node whose mark-down came first)
 */
public record RelayFigures(String relay, boolean down, double rateFactor, long sent, long failed, long markedDown) {
}
